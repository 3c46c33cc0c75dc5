"""The tiny Markdown subset of the evaluation summary (titles, bullets, bold) as HTML."""

from __future__ import annotations

import html

__all__ = ["markdown_html"]


def markdown_html(text: str) -> str:
    """The tiny Markdown subset of the evaluation summary (titles, bullets, bold) as HTML."""
    out, in_list = [], False
    for line in text.splitlines():
        escaped = html.escape(line)
        while "**" in escaped:
            escaped = escaped.replace("**", "<strong>", 1).replace("**", "</strong>", 1)
        if line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{escaped[2:]}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if line.startswith("### "):
            out.append(f"<h3>{escaped[4:]}</h3>")
        elif line.startswith("## "):
            out.append(f"<h2>{escaped[3:]}</h2>")
        elif line.strip():
            out.append(f"<p>{escaped}</p>")
    if in_list:
        out.append("</ul>")
    return "\n".join(out)
