"""Amounts written the French way or the international way (:func:`to_number`).

A column is read once per distinct value; the column decides the ambiguous shapes (``1.250``:
thousands dot or decimal point?) from the unambiguous cells around them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from .text import blank_scalar

__all__ = ["NumberResult", "number_table", "to_number"]


# ---------------------------------------------------------------------------------- numbers

# Spaces used as thousands separators: space, no-break space, narrow no-break space, thin space
_SPACE_CHARS = " \u00a0\u202f\u2009"
_SPACE_RE = re.compile(r"[ \u00a0\u202f\u2009]")
_MINUS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash (Word and Excel write them)
_CURRENCY = re.compile(r"^(?:€|eur|euros?)\s*|\s*(?:€|eur|euros?)$", re.IGNORECASE)
_PLAIN_INT = re.compile(r"^\d+$")
_DEC_COMMA = re.compile(r"^\d*,\d+$")
_DEC_DOT = re.compile(r"^\d*\.\d+$")
_AMBIG_DOT = re.compile(r"^[1-9]\d{0,2}\.\d{3}$")  # "1.250", "12.000": thousands or decimals?
_AMBIG_COMMA = re.compile(r"^[1-9]\d{0,2},\d{3}$")  # "1,250": decimal comma by default
_SPACE_GROUPS = re.compile(r"^\d{1,3}( \d{3})+([.,]\d+)?$")
_FR_DOTS = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")
_EN_COMMAS = re.compile(r"^[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")
_EXPONENT = re.compile(r"^(\d+[.,]?\d*|[.,]\d+)[eE][+-]?\d+$")

# kinds of cell (column-level decisions are taken on them), small integers for speed
(
    _K_BLANK,
    _K_BAD,
    _K_NUMBER,
    _K_INT,
    _K_COMMA,
    _K_DOT,
    _K_AMB_DOT,
    _K_AMB_COMMA,
    _K_FR,
    _K_EN,
    _K_SPACE,
    _K_SPACE_FR,
    _K_SPACE_EN,
) = range(13)


def _parse_number_text(text: str, symbols: bool = True) -> tuple[int, float, float, bool]:
    """Parse one cell: ``(kind, decimal reading, thousands reading, percent)``.

    The two readings differ only for the ambiguous kinds (``1.250``, ``1,250``). Without
    ``symbols``, currency, ``%``, parentheses and a sign on the right make the cell bad.
    """
    t = text.strip()
    if not t:
        return _K_BLANK, np.nan, np.nan, False
    if not symbols and (
        t[0] == "(" or t[-1] in "%€" or t[-1] in _MINUS or _CURRENCY.search(t) is not None
    ):
        return _K_BAD, np.nan, np.nan, False
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1].strip()
    percent = t.endswith("%")
    if percent:
        t = t[:-1].rstrip()
    t = _CURRENCY.sub("", t).strip()
    if t[:1] in _MINUS or t[:1] == "+":
        if t[:1] != "+":
            negative = not negative
        t = t[1:].lstrip()
        if t.startswith(("€", "EUR", "eur")):  # "-€12" / "- 12 €"
            t = _CURRENCY.sub("", t).strip()
    elif t[-1:] in _MINUS and len(t) > 1 and t[-2:-1] in "0123456789 \u00a0\u202f":
        negative, t = not negative, t[:-1].rstrip()  # sign on the right: "123,45-"
    if not t or t[0] in _MINUS or t[0] == "+":
        return _K_BAD, np.nan, np.nan, False
    t = _SPACE_RE.sub(" ", t)
    kind: int
    if " " in t:
        if not _SPACE_GROUPS.match(t):
            return _K_BAD, np.nan, np.nan, False
        kind = _K_SPACE_FR if "," in t else _K_SPACE_EN if "." in t else _K_SPACE
        t = t.replace(" ", "")
        value = float(t.replace(",", "."))
        thousands = value
    elif _PLAIN_INT.match(t):
        kind, value = _K_INT, float(t)
        thousands = value
    elif _AMBIG_DOT.match(t):
        kind, value, thousands = _K_AMB_DOT, float(t), float(t.replace(".", ""))
    elif _AMBIG_COMMA.match(t):
        kind, value, thousands = _K_AMB_COMMA, float(t.replace(",", ".")), float(t.replace(",", ""))
    elif _DEC_COMMA.match(t):
        kind, value = _K_COMMA, float(t.replace(",", "."))
        thousands = value
    elif _DEC_DOT.match(t):
        kind, value = _K_DOT, float(t)
        thousands = value
    elif _FR_DOTS.match(t):
        kind, value = _K_FR, float(t.replace(".", "").replace(",", "."))
        thousands = value
    elif _EN_COMMAS.match(t):
        kind, value = _K_EN, float(t.replace(",", ""))
        thousands = value
    elif _EXPONENT.match(t):
        kind, value = _K_NUMBER, float(t.replace(",", "."))
        thousands = value
    else:
        return _K_BAD, np.nan, np.nan, False
    if negative:
        value, thousands = -value, -thousands
    return kind, value, thousands, percent


_SD = np.dtypes.StringDType()
# characters a number may hold in the per-cell parser (currency words, signs, exponent…)
_SLOW_CHARS = "0123456789.,+-\u2212\u2013()%€ \u00a0\u202f\u2009eEuUrRoOsS"
# numpy 2.4's strip on StringDType drops as many characters from the end of the set as it has
# extra UTF-8 bytes: pad with a repeated harmless character (no-op once fixed)
_SLOW_CHARS += "0" * (len(_SLOW_CHARS.encode()) - len(_SLOW_CHARS))


def _groups_ok(part: np.ndarray, sep: str, k: np.ndarray, lead_zero: bool) -> np.ndarray:
    """``part`` is ``d{1,3}(<sep>ddd){k}`` (digits already checked), vectorised."""
    first = np.strings.find(part, sep)
    length = np.strings.str_len(part)
    ok = (first >= 1) & (first <= 3) & (length == first + 4 * k)
    if not lead_zero:
        ok &= ~np.strings.startswith(part, "0")
    for j in range(int(k.max(initial=0))):
        pos = np.where(ok & (j < k), first + 4 * j, 0)
        ch = np.strings.slice(part, pos, pos + 1)
        ok &= (j >= k) | (ch == sep)
    return ok


_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[48:58] = True
_POW10 = 10.0 ** np.arange(23)  # exact doubles
_FR_BYTES = np.zeros(256, dtype=bool)
_FR_BYTES[[*range(48, 58), 32, 44, 45, 10]] = True  # digits, space, comma, minus, line break


def _fast_french_amounts(texts: np.ndarray) -> tuple[np.ndarray, ...] | None:
    """The dominant shape of French exports, checked and read on the bytes in one go.

    A value ``-?(d{1,3}( ddd)+|d+),d+`` (ASCII digits, plain spaces, one decimal comma,
    nothing around) is read here; returns ``(read, kinds, decimal reading, thousands
    reading)`` as :func:`_fast_numbers` would for the values ``read`` (``None`` when none).
    """
    m = len(texts)
    if m == 0:
        return None
    joined = "\n".join(texts.tolist()) + "\n"
    c = np.frombuffer(joined.encode("utf-8", "surrogatepass"), np.uint8)
    n = len(c)
    is_break = c == 10
    newline = np.flatnonzero(is_break)
    if len(newline) != m:  # a value holds a line break
        return None
    # the value of each byte (its line break included)
    line = np.cumsum(is_break, dtype=np.int32) - is_break
    start = np.concatenate(([0], newline[:-1] + 1))
    bad = np.zeros(m, dtype=bool)
    bad[line[~_FR_BYTES[c]]] = True
    digit = _DIGIT[c]
    # exactly one comma, with a digit on each side
    comma_at = np.flatnonzero(c == 44)
    bad |= np.bincount(line[comma_at], minlength=m) != 1
    comma = np.zeros(m, dtype=np.int64)
    comma[line[comma_at]] = comma_at
    comma = np.where(bad, start + 1, comma)  # harmless position for the rejected values
    bad |= (comma <= start) | (comma >= newline - 1)
    comma = np.where(bad, start + 1, comma)
    bad |= ~digit[comma - 1] | ~digit[np.minimum(comma + 1, n - 1)]
    # after the comma, digits only: the minus sign and the spaces must come before it
    # a minus sign only first, followed by a digit
    minus = np.flatnonzero(c == 45)
    if minus.size:
        wrong = (minus != start[line[minus]]) | ~digit[np.minimum(minus + 1, n - 1)]
        bad[line[minus[wrong]]] = True
    # a space: a digit before, exactly three digits after, then a space or the comma;
    # the first group has at most three digits (a non-digit among the 3 bytes before it)
    space = np.flatnonzero(c == 32)
    if space.size:

        def at(offset: int) -> np.ndarray:
            return c[np.clip(space + offset, 0, n - 1)]

        wrong = (
            (space < 1)
            | (space + 4 >= n)
            | ~_DIGIT[at(-1)]
            | ~_DIGIT[at(1)]
            | ~_DIGIT[at(2)]
            | ~_DIGIT[at(3)]
            | ((at(4) != 32) & (at(4) != 44))
            | ((space >= 4) & _DIGIT[at(-2)] & _DIGIT[at(-3)] & _DIGIT[at(-4)])
            | (space > comma[line[space]])
        )
        bad[line[space[wrong]]] = True
    neg = c[start] == 45
    # read below as one integer of digits, exact in float64 up to 15 digits (the digits of a
    # value that passed: its bytes but the spaces, the comma and the sign)
    n_spaces = np.bincount(line[space], minlength=m) if space.size else 0
    bad |= (newline - start) - n_spaces - 1 - neg > 15
    ok = ~bad
    if not ok.any():
        return None
    body = start + neg
    has_space = (comma - 4 >= body) & (c[np.maximum(comma - 4, 0)] == 32)
    amb = ok & ~has_space & (comma - body <= 3) & (newline - comma - 1 == 3) & (c[body] != 48)
    kinds = np.full(m, _K_BAD, dtype=np.int8)
    kinds[ok] = _K_COMMA
    kinds[ok & has_space] = _K_SPACE_FR
    kinds[amb] = _K_AMB_COMMA
    # the digits of a value form an integer below 2**53, summed exactly from its digits; divided
    # by 10**(digits after the comma), it is rounded once, to the double strtod would give
    # (Horner from the right, one byte of every value at a time)
    rows = np.flatnonzero(ok)
    end, first = newline[rows], body[rows]
    integer = np.zeros(len(rows))
    scale = np.ones(len(rows))
    for j in range(1, int((end - first).max()) + 1):
        pos = end - j
        byte = c[np.maximum(pos, first)]
        is_digit = (pos >= first) & _DIGIT[byte]
        integer += np.where(is_digit, (byte.astype(np.float64) - 48.0) * scale, 0.0)
        scale = np.where(is_digit, scale * 10.0, scale)
    dec = np.full(m, np.nan)
    decimals = end - comma[rows] - 1
    dec[rows] = np.where(neg[rows], -1.0, 1.0) * (integer / _POW10[decimals])
    tho = dec.copy()
    if amb.any():
        tho[amb] = [float(t.replace(",", "")) for t in texts[amb].tolist()]
    return ok, kinds, dec, tho


def _fast_numbers(texts: np.ndarray) -> tuple[np.ndarray, ...]:
    """Vectorised reading of the plain shapes (digits, separators, one leading sign).

    Returns ``(handled, kinds, decimal reading, thousands reading)``; the cells not handled
    (currency, percent, parentheses, exponents, text) go to :func:`_parse_number_text`.
    """
    fast = _fast_french_amounts(texts)
    if fast is None:
        return _fast_numbers_generic(texts)
    read, kinds, dec, tho = fast
    if read.all():
        return fast
    rest = np.flatnonzero(~read)
    handled = read.copy()
    handled[rest], kinds[rest], dec[rest], tho[rest] = _fast_numbers_generic(texts[rest])
    return handled, kinds, dec, tho


def _fast_numbers_generic(texts: np.ndarray) -> tuple[np.ndarray, ...]:
    """:func:`_fast_numbers` for any values (several separators, signs, blanks)."""
    m = len(texts)
    kinds = np.full(m, _K_BAD, dtype=np.int8)
    dec = np.full(m, np.nan)
    tho = np.full(m, np.nan)
    a = np.strings.strip(np.asarray(texts, dtype=_SD))
    joined = "".join(texts.tolist())
    for ch in "\u00a0\u202f\u2009":
        if ch in joined:
            a = np.strings.replace(a, ch, " ")
    sign = np.strings.startswith(a, "-") | np.strings.startswith(a, "+")
    neg = np.strings.startswith(a, "-")
    body = np.where(sign, np.strings.slice(a, 1, None), a) if sign.any() else a
    length = np.strings.str_len(body)
    nd = np.strings.count(body, ".")
    nc = np.strings.count(body, ",")
    ns = np.strings.count(body, " ")
    nsep = nd + nc + ns
    only = np.strings.str_len(np.strings.lstrip(body, "0123456789., ")) == 0
    cand = only & (length > nsep)
    blank = length == 0
    lastd = np.strings.rfind(body, ".")
    lastc = np.strings.rfind(body, ",")
    dot_first = np.strings.startswith(body, "0")

    # plain integers
    is_int = cand & (nsep == 0)
    kinds[is_int] = _K_INT
    # one separator: decimal, or ambiguous "1.250" / "1,250"
    single = cand & (ns == 0) & (nd + nc == 1)
    pos = np.maximum(lastd, lastc)
    after = length - pos - 1
    amb = single & (pos >= 1) & (pos <= 3) & (after == 3) & ~dot_first
    single_ok = single & (after >= 1)
    kinds[single_ok & ~amb & (nd == 1)] = _K_DOT
    kinds[single_ok & ~amb & (nc == 1)] = _K_COMMA
    kinds[amb & (nd == 1)] = _K_AMB_DOT
    kinds[amb & (nc == 1)] = _K_AMB_COMMA
    # several separators: groups of thousands, with or without a decimal part
    multi = cand & ~single & (nsep >= 1)
    if multi.any():
        fr_dec = multi & (nc == 1) & (lastc > lastd) & ((nd == 0) | (ns == 0))
        en_dec = multi & (nd == 1) & (lastd > lastc) & ((nc == 0) | (ns == 0)) & ~fr_dec
        no_dec = multi & ~fr_dec & ~en_dec & ((nd == 0) + (nc == 0) + (ns == 0) == 2)
        dpos = np.where(fr_dec, lastc, np.where(en_dec, lastd, length))
        has_dec = (fr_dec | en_dec) & (length - dpos - 1 >= 1)
        group = np.where(
            ns > 0, " ", np.where(fr_dec, ".", np.where(en_dec, ",", np.where(nd > 0, ".", ",")))
        )
        group = np.where(multi, group, "")
        k = np.where(fr_dec, nd + ns, np.where(en_dec, nc + ns, nsep))
        grouped = np.zeros(m, dtype=bool)
        for g, lead_zero in ((" ", True), (".", False), (",", False)):
            rows = multi & (group == g) & (fr_dec | en_dec | no_dec)
            if rows.any():
                part = np.strings.slice(body[rows], 0, dpos[rows])
                grouped[rows] = _groups_ok(part, g, k[rows], lead_zero)
        grouped &= has_dec | no_dec
        kinds[grouped & (group == " ") & fr_dec] = _K_SPACE_FR
        kinds[grouped & (group == " ") & en_dec] = _K_SPACE_EN
        kinds[grouped & (group == " ") & no_dec] = _K_SPACE
        kinds[grouped & (group == ".")] = _K_FR
        kinds[grouped & (group == ",")] = _K_EN
    kinds[blank & ~sign] = _K_BLANK
    handled = (kinds != _K_BAD) | (blank & ~sign)
    # readings: remove the group separator, the decimal one becomes "."
    values = np.full(m, np.nan)
    try:
        for group_kinds, remove, comma in (
            ((_K_INT, _K_DOT, _K_AMB_DOT), None, False),
            ((_K_COMMA, _K_AMB_COMMA), None, True),
            ((_K_SPACE, _K_SPACE_EN), " ", False),
            ((_K_SPACE_FR,), " ", True),
            ((_K_FR,), ".", True),
            ((_K_EN,), ",", False),
        ):
            rows = np.isin(kinds, group_kinds)
            if not rows.any():
                continue
            part = body[rows]
            if remove is not None:
                part = np.strings.replace(part, remove, "")
            if comma:
                part = np.strings.replace(part, ",", ".")
            values[rows] = part.astype(np.float64)
    except ValueError:  # exotic digits: let the slow path decide
        return np.zeros(m, dtype=bool), kinds, dec, tho
    values = np.where(neg, -values, values)
    dec[:] = values
    tho[:] = values
    is_amb = (kinds == _K_AMB_DOT) | (kinds == _K_AMB_COMMA)
    if is_amb.any():
        t = np.strings.replace(np.strings.replace(body[is_amb], ".", ""), ",", "")
        tv = t.astype(np.float64)
        tho[is_amb] = np.where(neg[is_amb], -tv, tv)
    # cells the slow path cannot accept either: text (letters other than currency words)
    hopeless = ~handled & (np.strings.str_len(np.strings.lstrip(a, _SLOW_CHARS)) > 0)
    handled |= hopeless
    return handled, kinds, dec, tho


@dataclass(frozen=True, eq=False)
class NumberResult:
    """What :func:`to_number` read from a column.

    Attributes
    ----------
    values
        Float Series on the input's index; ``NaN`` where the cell is blank or unreadable.
    bad
        Boolean Series: a non-blank cell that is not a number (``"NC"``, ``"12,5,6"``, ``"NA"``).
    ambiguous
        Boolean Series: a cell such as ``1.250`` that the column does not settle (thousands
        dot or decimal point?). Its value is the decimal-point reading (1.25); report it as an
        ``alerte`` on its line.
    status
        Per cell: ``"vide"``, ``"ok"``, ``"point"`` (decimal point), ``"milliers"`` (thousands
        separator read), ``"ambigu"`` or ``"illisible"``.
    percent
        Boolean Series: the cell was written with a ``%`` sign.
    """

    values: pd.Series
    bad: pd.Series
    ambiguous: pd.Series
    status: pd.Series
    percent: pd.Series

    @property
    def ok(self) -> bool:
        """True when no cell is unreadable nor ambiguous."""
        return not bool(self.bad.any() or self.ambiguous.any())

    @property
    def all_numbers(self) -> bool:
        """True when every non-blank cell is a number (ambiguous ones included)."""
        return not bool(self.bad.any())


def to_number(
    values: pd.Series | Sequence[object],
    *,
    percent: bool | Literal["fraction"] = False,
    symbols: bool = True,
) -> NumberResult:
    """Read a column of amounts written the French or the international way.

    Accepted (spaces may be normal, no-break ``U+00A0`` or narrow no-break ``U+202F``):
    ``1234``, ``1234.56``, ``1234,56``, ``1 234,56``, ``1 234,56 €``, ``€12``, ``EUR 12``,
    ``-1 234,56``, ``−12`` (minus sign), ``(1 234,56)`` (negative), ``123,45-`` (sign on the
    right, accounting exports), ``1.234,56`` and ``1.234.567`` (thousands dots),
    ``1,234.56`` (English), ``1.5e3``, ``12,5 %``. Numbers already read by a spreadsheet
    (``int``/``float`` cells) are kept; booleans and dates are not numbers.

    Refused (``bad``): text, ``1.2.3``, ``12,5,6``, ``12 34``, ``NA``, ``inf``.

    Column-level decisions: a cell ``1.250`` or ``12.000`` (one dot, three digits after it)
    is read as **thousands** (1250, 12000) when the column's other cells use the French
    thousands dot or the decimal comma and none uses a decimal point; as a **decimal** when
    they use a decimal point (``12.5``) and none the French forms; otherwise it is marked
    ``ambiguous`` (value read with a decimal point). ``1,250`` is a decimal comma (1.25)
    unless the column writes English numbers (``1,234.56``, ``12.5``) and no French ones.

    Parameters
    ----------
    values
        The cells (strings, numbers or missing values).
    percent
        ``False`` (default): ``12,5 %`` reads 12.5 (points of percentage, as written).
        ``"fraction"``: cells written with ``%`` are divided by 100 (``12,5 %`` → 0.125),
        as Excel stores them. Cells without ``%`` are unchanged in both cases.
    symbols
        ``True`` (default): currency (``€``, ``EUR``), ``%``, parentheses and a sign on the
        right are accepted. ``False``: only signs, digits and separators (such cells are
        ``bad``); :func:`~movsc_toolkit.read_table` uses this so that a column of ``12 €``
        stays text as written.

    Returns
    -------
    NumberResult
    """
    if percent not in (False, True, "fraction"):
        raise ValueError("percent doit valoir False ou 'fraction'.")
    s = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    index = s.index
    n = len(s)
    if (
        pd.api.types.is_numeric_dtype(s.dtype)
        and not pd.api.types.is_bool_dtype(s.dtype)
        and not isinstance(s.dtype, pd.CategoricalDtype)
    ):
        out = pd.to_numeric(s, errors="coerce").astype("float64")
        false = pd.Series(np.zeros(n, dtype=bool), index=index)
        status = pd.Series(np.where(out.isna(), "vide", "ok"), index=index, dtype=object)
        return NumberResult(out, false, false.copy(), status, false.copy())

    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    value, bad_u, amb, status_u, pct = number_table(
        np.asarray(uniques, dtype=object), percent, symbols
    )

    def take(arr: np.ndarray, fill: Any, dtype: Any) -> pd.Series:
        full = np.append(arr, np.array([fill], dtype=arr.dtype))
        return pd.Series(full[codes], index=index, dtype=dtype)

    return NumberResult(
        values=take(value, np.nan, "float64"),
        bad=take(bad_u, False, bool),
        ambiguous=take(amb, False, bool),
        status=take(status_u, "vide", object),
        percent=take(pct, False, bool),
    )


def number_table(
    uniques: np.ndarray, percent: bool | str = False, symbols: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`to_number` on the distinct values of a column (each must occur in it).

    Returns per value: ``(values, bad, ambiguous, status, percent)``.
    """
    m = len(uniques)
    kinds = np.full(m, _K_BAD, dtype=np.int8)
    dec = np.full(m, np.nan)
    tho = np.full(m, np.nan)
    pct = np.zeros(m, dtype=bool)
    if pd.api.types.infer_dtype(uniques, skipna=False) == "string":
        is_str = np.ones(m, dtype=bool)
    else:
        is_str = np.fromiter((isinstance(u, str) for u in uniques), dtype=bool, count=m)
    handled = np.zeros(m, dtype=bool)
    if is_str.any():
        h, k_, d_, t_ = _fast_numbers(uniques[is_str])
        where = np.flatnonzero(is_str)
        kinds[where], dec[where], tho[where] = k_, d_, t_
        handled[where] = h
    for i in np.flatnonzero(~handled):
        u = uniques[i]
        if isinstance(u, str):
            kinds[i], dec[i], tho[i], pct[i] = _parse_number_text(u, symbols)
        elif isinstance(u, bool | np.bool_):
            kinds[i] = _K_BAD
        elif isinstance(u, int | float | np.integer | np.floating):
            f = float(u)
            if np.isnan(f):
                kinds[i] = _K_BLANK
            elif np.isfinite(f):
                kinds[i], dec[i], tho[i] = _K_NUMBER, f, f
            else:
                kinds[i] = _K_BAD
        elif blank_scalar(u):
            kinds[i] = _K_BLANK
        else:  # dates, times and other objects are not amounts
            kinds[i] = _K_BAD
    present = set(kinds.tolist())  # every distinct value occurs
    fr_evidence = bool(present & {_K_COMMA, _K_FR, _K_SPACE_FR})
    en_evidence = bool(present & {_K_DOT, _K_EN, _K_SPACE_EN})
    # column-level reading of the ambiguous shapes
    amb = np.zeros(m, dtype=bool)
    value = dec.copy()
    is_amb_dot = kinds == _K_AMB_DOT
    is_amb_comma = kinds == _K_AMB_COMMA
    if fr_evidence and not en_evidence:
        value[is_amb_dot] = tho[is_amb_dot]
    elif not (en_evidence and not fr_evidence):
        amb |= is_amb_dot
    if en_evidence and not fr_evidence:
        value[is_amb_comma] = tho[is_amb_comma]
    elif en_evidence and fr_evidence:
        amb |= is_amb_comma
    if percent == "fraction":
        value[pct] = value[pct] / 100.0
    status_u = np.full(m, "ok", dtype=object)
    status_u[kinds == _K_BLANK] = "vide"
    status_u[kinds == _K_BAD] = "illisible"
    status_u[np.isin(kinds, [_K_DOT, _K_EN])] = "point"
    status_u[np.isin(kinds, [_K_FR, _K_SPACE, _K_SPACE_FR, _K_SPACE_EN])] = "milliers"
    thousands_read = (is_amb_dot | is_amb_comma) & (value != dec) & ~amb
    status_u[thousands_read] = "milliers"
    status_u[is_amb_dot & ~amb & ~thousands_read] = "point"
    status_u[amb] = "ambigu"
    return value, kinds == _K_BAD, amb, status_u, pct
