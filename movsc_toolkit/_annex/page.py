"""The annex as one printable HTML page (A4 print style, wide tables marked)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from .._errors import DataError
from .collect import Block, collect, error_cells, refusal
from .sanitize import sanitize_html, scrub_paths

# --------------------------------------------------------------------------- HTML

PRINT_CSS = """
@page { size: A4; margin: 2cm; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt;
       line-height: 1.4; color: #111; background: #fff; }
body { max-width: 17cm; margin: 0 auto; padding: 0; }
h1 { font-size: 16pt; } h2 { font-size: 13.5pt; } h3 { font-size: 12pt; } h4 { font-size: 11pt; }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
p, li { orphans: 3; widows: 3; }
img, svg { max-width: 100%; height: auto; }
figure { margin: 0.8em 0; break-inside: avoid; page-break-inside: avoid; text-align: center; }
figcaption { font-size: 9.5pt; font-style: italic; margin-top: 0.3em; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 8.5pt; background: #f6f6f6;
      padding: 0.4em; border-radius: 3px; }
pre.code { border-left: 3px solid #888; }
.table-wrap { max-width: 100%; margin: 0.6em 0; }
table { border-collapse: collapse; font-size: 8.5pt; max-width: 100%; margin: 0.4em 0;
        break-inside: auto; }
table.large { font-size: 7pt; table-layout: fixed; width: 100%; }
table.tres-large { font-size: 6pt; table-layout: fixed; width: 100%; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
th, td { border: 1px solid #ccc; padding: 2px 4px; vertical-align: top;
         overflow-wrap: anywhere; word-break: break-word; hyphens: auto; }
th { background: #f0f0f0; }
td.n, td { font-variant-numeric: tabular-nums; }
caption { font-weight: bold; text-align: left; padding-bottom: 0.2em; }
.erreur { border: 2px solid #b00020; background: #fdecee; color: #6d0014; padding: 0.5em;
          margin: 0.6em 0; break-inside: avoid; }
.alerte-annexe { border: 2px solid #b00020; padding: 0.5em; margin-bottom: 1em; }
.stderr { background: #fff6e5; }
"""

_TABLE_OPEN = re.compile(r"<table\b([^>]*)>", re.I)


def _columns_of(table_html: str) -> int:
    first_row = re.search(r"<tr\b.*?</tr>", table_html, re.S | re.I)
    if not first_row:
        return 0
    cells = re.findall(r"<t[hd]\b([^>]*)>", first_row.group(0), re.I)
    total = 0
    for attrs in cells:
        span = re.search(r"colspan=\"?(\d+)", attrs)
        total += int(span.group(1)) if span else 1
    return total


def mark_wide_tables(fragment: str) -> str:
    """Class ``large`` / ``tres-large`` on tables with many columns (smaller font, fixed layout
    so they wrap inside the page width), and a wrapper ``div``."""
    out, last = [], 0
    for match in re.finditer(r"<table\b.*?</table>", fragment, re.S | re.I):
        table = match.group(0)
        n = _columns_of(table)
        size = "tres-large" if n > 12 else "large" if n > 7 else ""
        if size:
            opening = _TABLE_OPEN.match(table)
            assert opening is not None  # the search above matched <table
            attrs = opening.group(1)
            if "class=" in attrs:
                attrs = re.sub(r'class="([^"]*)"', rf'class="\1 {size}"', attrs, count=1)
            else:
                attrs += f' class="{size}"'
            table = f"<table{attrs}>" + table[opening.end() :]
        out += [fragment[last : match.start()], f'<div class="table-wrap">{table}</div>']
        last = match.end()
    out.append(fragment[last:])
    return "".join(out)


def _markdown(text: str) -> str:
    import mistune

    render = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])
    return str(render(text))


def _figure_label(block: Block) -> str:
    caption = f"Figure {block.number}"
    return f"{caption} – {block.caption}" if block.caption else caption


def annex_html(
    nb: object, title: str, *, code: bool = False, force: bool = False, source: str = ""
) -> str:
    """The annex of an (executed) notebook as a standalone, sanitised HTML page.

    Raises :class:`~movsc_toolkit._errors.DataError` when a cell has an error output, unless
    ``force`` (the failures are then shown in red boxes and announced at the top).
    """
    errors = error_cells(nb)
    if errors and not force:
        raise DataError(
            refusal(errors),
            path=source or None,
            hint="corrigez ces cellules puis réexécutez tout le carnet (Exécuter > Tout "
            "exécuter) et enregistrez-le ; pour exporter quand même, ajoutez --forcer (les "
            "erreurs seront signalées dans l'annexe).",
        )
    annex = collect(nb, title, code=code, folder=Path(source).parent if source else None)
    parts = []
    if errors:
        cells = ", ".join(str(n) for n, _ in errors)
        parts.append(
            '<div class="alerte-annexe"><strong>Attention : ce carnet contient des erreurs '
            f"d'exécution (cellule(s) de code n° {html.escape(cells)}).</strong> Les résultats "
            "qui en dépendent manquent ou sont incomplets ; ils sont signalés en rouge ci-dessous."
            "</div>"
        )
    for block in annex.blocks:
        if block.kind == "markdown":
            parts.append(_markdown(scrub_paths(block.content)))
        elif block.kind == "code":
            parts.append(f'<pre class="code">{html.escape(block.content)}</pre>')
        elif block.kind == "text":
            css = ' class="stderr"' if block.mime == "stderr" else ""
            parts.append(f"<pre{css}>{html.escape(block.content)}</pre>")
        elif block.kind == "html":
            parts.append(block.content)
        elif block.kind == "error":
            parts.append(
                f'<div class="erreur"><strong>Erreur dans la cellule de code n° {block.cell}'
                f"</strong> : {html.escape(block.content)}</div>"
            )
        elif block.kind == "image":
            parts.append(
                f'<figure><img src="data:{block.mime};base64,{block.content}" '
                f'alt="{html.escape(_figure_label(block))}">'
                f"<figcaption>{html.escape(_figure_label(block))}</figcaption></figure>"
            )
    # SVG pictures are only accepted as <img> data URIs (no script runs inside an <img>).
    body = mark_wide_tables(sanitize_html("\n".join(parts)))
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title, quote=False)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{PRINT_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
