"""Making a notebook's HTML safe to hand in: an allow-list of tags and attributes (no script, no
event handler, no remote resource) and the student's file paths removed.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- sanitising

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "style", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul", "var",
}  # fmt: skip
_GENERIC_ATTRIBUTES = {"class", "id", "style", "title", "lang", "dir"}
ALLOWED_ATTRIBUTES = {
    "*": _GENERIC_ATTRIBUTES,
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start"},
}
_IMAGE_URI = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]+$", re.I)
_CSS_DANGER = re.compile(r"url\s*\(|@import|expression\s*\(|javascript:|behavior\s*:", re.I)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "src":  # only embedded raster images: nothing fetched, nothing executed
        return value if tag == "img" and _IMAGE_URI.match(value) else None
    if attribute == "href":  # links to the web are kept, as text targets only
        return value if re.match(r"^(https?:|mailto:|#)", value.strip(), re.I) else None
    if attribute == "style" and _CSS_DANGER.search(value):
        return None
    return value


def sanitize_html(fragment: str) -> str:
    """Clean an HTML fragment with an allowlist of tags and attributes.

    Removes ``<script>`` (with its content), ``<iframe>``, ``<object>``, forms, event handler
    attributes (``onerror=``, ``onclick=``…), ``javascript:`` and ``data:`` links, images that
    are not embedded ``data:image/…`` (so nothing is fetched from the network), and style rules
    that load or execute something (``url(``, ``@import``, ``expression(``). Tables, text
    formatting and embedded images are kept.

    Examples
    --------
    >>> sanitize_html('<p onclick="x()">Oui</p><script>alert(1)</script>')
    '<p>Oui</p>'
    """
    import nh3

    cleaned = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "iframe", "object", "embed", "noscript", "template"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer",
    )
    # Style sheets are kept for the look of styled tables, never what fetches or executes.
    return re.sub(
        r"(<style[^>]*>)(.*?)(</style>)",
        lambda m: m.group(1) + ("" if _CSS_DANGER.search(m.group(2)) else m.group(2)) + m.group(3),
        cleaned,
        flags=re.S | re.I,
    )


# --------------------------------------------------------------------------- paths

_PATH_CHARS = r"[^\s\"'<>|:*?()\[\]{},;]"
_POSIX_PATH = re.compile(
    r"(?<![\w.~/-])/(?:home|Users|root|tmp|var|private|opt|usr|srv|mnt|media|work|run|nix|"
    r"scratch|data|builds?)(?:/" + _PATH_CHARS + r"+)+/?"
)
_WINDOWS_PATH = re.compile(r"(?<![\w])[A-Za-z]:\\(?:[^\\\s\"'<>|:*?]+\\)*[^\\\s\"'<>|:*?]*")
_HOME = re.compile(r"(?<![\w/])~(?:/" + _PATH_CHARS + r"+)+")
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")


def _short(path: str, sep: str) -> str:
    name = path.rstrip(sep).rsplit(sep, 1)[-1]
    return f"…{sep}{name}" if name else "…"


def scrub_paths(text: str) -> str:
    """Replace absolute paths of the machine (home, temporary, virtual environment folders)
    by ``…/name``: ``/home/alice/memoire/donnees/enquete.csv`` → ``…/enquete.csv``.

    ``data:`` URIs (embedded images) are left untouched.
    """

    def scrub(part: str) -> str:
        part = _POSIX_PATH.sub(lambda m: _short(m.group(0), "/"), part)
        part = _HOME.sub(lambda m: _short(m.group(0), "/"), part)
        return _WINDOWS_PATH.sub(lambda m: _short(m.group(0), "\\"), part)

    out, last = [], 0
    for match in _DATA_URI.finditer(text):
        out += [scrub(text[last : match.start()]), match.group(0)]
        last = match.end()
    out.append(scrub(text[last:]))
    return "".join(out)
