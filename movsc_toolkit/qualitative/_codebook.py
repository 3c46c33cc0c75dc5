"""The codebook (grille de codage): themes, sub-themes, definitions, inclusion/exclusion, example;
read from a spreadsheet or a REFI-QDA ``.qdc`` file, written as ``.qdc``.

Reference: MacQueen, K. M. et al. (1998), Codebook development for team-based qualitative
analysis, *Cultural Anthropology Methods*, 10(2), 31-36 (name, definition, when to use, when
not to use, example); REFI-QDA standard 1.5 (``Codebook.xsd``) for the exchange format.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pandas as pd

from .. import __version__
from .._errors import DataError, FileError, FormatError, ValidationError, closest
from .._io import read_table
from .._report import Report, result
from .._write import output_path
from ._common import find_column, line_numbers, plural, tables_html, text_of
from ._qda_xml import (
    CODEBOOK_NS,
    child,
    children,
    guid,
    local_name,
    norm_guid,
    parse_xml,
    problem_row,
    write_refi_bytes,
    xml_bytes,
)

__all__ = [
    "CODEBOOK_COLUMNS",
    "Codebook",
    "code_elements",
    "codes_from_xml",
    "read_codebook",
    "read_qdc",
    "write_qdc",
]

#: Columns of :attr:`Codebook.table`.
CODEBOOK_COLUMNS = [
    "Code",
    "Parent",
    "Définition",
    "Inclusion",
    "Exclusion",
    "Exemple",
    "Couleur",
    "Codable",
]
_DESCRIPTION_FIELDS = ["Définition", "Inclusion", "Exclusion", "Exemple"]

_ALIASES = {
    "Code": ["code", "sous-thème", "sous theme", "sous-code", "nom", "libellé", "name"],
    "Parent": ["thème", "theme", "parent", "catégorie", "categorie", "rubrique"],
    "Définition": ["définition", "definition", "description"],
    "Inclusion": ["inclusion", "critères d'inclusion", "quand l'utiliser", "inclure"],
    "Exclusion": ["exclusion", "critères d'exclusion", "quand ne pas l'utiliser", "exclure"],
    "Exemple": ["exemple", "exemple de verbatim", "verbatim", "example"],
    "Couleur": ["couleur", "color", "colour"],
}


@result
class Codebook(Report):
    """A codebook: one row per code (a theme is a code whose children are its sub-themes).

    Attributes
    ----------
    table : pandas.DataFrame
        Columns ``Code``, ``Parent`` (name of the theme above, ``""`` at the top),
        ``Définition``, ``Inclusion``, ``Exclusion``, ``Exemple``, ``Couleur`` (``#RRGGBB`` or
        ``""``), ``Codable`` (``False`` for a theme used only as a folder).

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> grille = quali.read_codebook(datasets.path("entretiens_centre_social") / "grille_codage.csv")
    >>> print(grille)
    Grille de codage : 4 thèmes, 13 sous-thèmes.
    >>> grille.codes[:3]
    ['Apports du centre social', 'Lien social', 'Accès aux droits']
    """

    table: pd.DataFrame
    _themes: dict[str, str] = dataclasses.field(init=False, repr=False)
    _names: frozenset[str] = dataclasses.field(init=False, repr=False)

    def __post_init__(self) -> None:
        table = self.table.reset_index(drop=True)
        missing = [c for c in CODEBOOK_COLUMNS if c not in table.columns]
        for col in missing:
            table[col] = True if col == "Codable" else ""
        table = table[CODEBOOK_COLUMNS].copy()
        for col in CODEBOOK_COLUMNS[:-1]:
            table[col] = table[col].map(text_of)
        table["Codable"] = table["Codable"].astype(bool)
        duplicated = table["Code"][table["Code"].duplicated()]
        if len(duplicated):
            raise ValidationError(
                f"le code « {duplicated.iloc[0]} » figure deux fois dans la grille de codage.",
                hint="donnez un nom unique à chaque code (ajoutez le thème au nom si besoin).",
            )
        names = set(table["Code"])
        for parent in table["Parent"]:
            if parent and parent not in names:
                raise ValidationError(
                    f"le thème parent « {parent} » n'est pas un code de la grille."
                )
        object.__setattr__(self, "table", table)
        parents = dict(zip(table["Code"], table["Parent"], strict=True))
        themes = {}
        for code in parents:
            top, seen = code, set()
            while parents.get(top) and top not in seen:
                seen.add(top)
                top = parents[top]
            themes[code] = top
        object.__setattr__(self, "_themes", themes)
        object.__setattr__(self, "_names", frozenset(parents))

    # ---- construction -----------------------------------------------------------------------

    @classmethod
    def from_codes(cls, codes: Sequence[str] | Mapping[str, str]) -> Codebook:
        """A flat codebook from code names (or a mapping code → definition)."""
        if isinstance(codes, Mapping):
            rows = [{"Code": c, "Définition": d} for c, d in codes.items()]
        else:
            rows = [{"Code": c} for c in dict.fromkeys(str(c) for c in codes)]
        return cls(pd.DataFrame(rows))

    # ---- accessors --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.table)

    def __contains__(self, code: object) -> bool:
        return code in self._names

    @property
    def codes(self) -> list[str]:
        """All code names, in the codebook's order (themes included)."""
        return list(self.table["Code"])

    @property
    def themes(self) -> list[str]:
        """Top-level codes (themes), in order."""
        return list(self.table.loc[self.table["Parent"] == "", "Code"])

    def theme_of(self, code: str) -> str:
        """The top-level theme a code belongs to (itself for a theme)."""
        return self._themes.get(code, code)

    def description(self, code: str) -> str:
        """Definition, inclusion, exclusion and example as labelled lines (REFI ``Description``)."""
        row = self.table.loc[self.table["Code"] == code].iloc[0]
        lines = [f"{field} : {row[field]}" for field in _DESCRIPTION_FIELDS if row[field]]
        return "\n".join(lines)

    def check(self, code: str, *, where: str = "", path: Any = None, line: int | None = None):
        """Raise ValidationError for a code absent from the codebook, with the closest name."""
        if code in self:
            return
        near = closest(code, self.codes)
        hint = (
            f"vouliez-vous dire « {near[0]} » ? Sinon ajoutez ce code à la grille de codage."
            if near
            else "ajoutez ce code à la grille de codage ou corrigez son nom."
        )
        raise ValidationError(f"code inconnu « {code} »{where}.", path=path, line=line, hint=hint)

    def to_frame(self) -> pd.DataFrame:
        """The codebook as a table (a copy), with the theme of each code."""
        out = self.table.copy()
        out.insert(1, "Thème", [self.theme_of(c) for c in out["Code"]])
        return out

    def to_qdc(self, path: str | PathLike[str]) -> Path:
        """Write the codebook as a REFI-QDA ``.qdc`` file (valid against ``Codebook.xsd``)."""
        return write_qdc(self, path)

    # ---- display ----------------------------------------------------------------------------

    def _lines(self) -> list[str]:
        return [
            f"Grille de codage : {plural(len(self.themes), 'thème')}, "
            f"{plural(len(self) - len(self.themes), 'sous-thème')}."
        ]

    def _html_tables(self) -> str:
        return tables_html(self._tables())

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Codes", self.to_frame().drop(columns=["Couleur", "Codable"]))]


def read_codebook(
    path: str | PathLike[str] | pd.DataFrame, sheet: str | int | None = None
) -> Codebook:
    """Read a codebook from a spreadsheet (CSV, XLSX, ODS) or a REFI-QDA ``.qdc`` file.

    One row per code. Recognised columns (case and accents ignored): ``code`` (or
    ``sous-thème``), ``thème`` (or ``parent``), ``définition``, ``inclusion``, ``exclusion``,
    ``exemple``, ``couleur``. A theme named in ``thème`` but without a row of its own becomes a
    folder (not codable); a row with a theme and an empty code codes the theme itself.

    Parameters
    ----------
    path
        The spreadsheet (CSV, XLSX, ODS), a ``.qdc`` file, or a table.
    sheet
        The sheet of a workbook (default: the first).

    Returns
    -------
    Codebook
        The codebook (``.to_frame()``, ``.to_qdc(path)``).

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> grille = quali.read_codebook(datasets.path("entretiens_centre_social") / "grille_codage.csv")
    >>> grille.themes[:2]
    ['Apports du centre social', 'Fragilités du projet']
    """
    if not isinstance(path, pd.DataFrame) and Path(path).suffix.lower() == ".qdc":
        return read_qdc(path)
    where = None if isinstance(path, pd.DataFrame) else path
    data = path if isinstance(path, pd.DataFrame) else read_table(path, sheet, parse_dates=False)
    if data.empty:
        raise DataError("la grille de codage est vide.", path=where)
    code_col = find_column(data, _ALIASES["Code"], what="le nom de chaque code")
    parent_col = find_column(data, _ALIASES["Parent"])
    if code_col is None and parent_col is None:
        find_column(data, _ALIASES["Code"], required=True, what="le nom de chaque code", path=where)
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, (_, record) in zip(line_numbers(data), data.iterrows(), strict=True):
        code = text_of(record[code_col]) if code_col else ""
        parent = text_of(record[parent_col]) if parent_col else ""
        if not code and not parent:
            continue
        if not code:
            code, parent = parent, ""
        if parent and parent not in seen:
            seen[parent] = len(rows)
            rows.append({"Code": parent, "Parent": "", "Codable": False})
        if code in seen:
            existing = rows[seen[code]]
            if existing.get("Codable", True) or existing.get("Parent", "") != parent:
                if existing.get("Codable") is False and not parent:
                    existing["Codable"] = True
                else:
                    raise ValidationError(
                        f"le code « {code} » figure deux fois dans la grille de codage.",
                        path=where,
                        line=line,
                        hint="donnez un nom unique à chaque code.",
                    )
            target = existing
        else:
            seen[code] = len(rows)
            target = {"Code": code, "Parent": parent, "Codable": True}
            rows.append(target)
        for field in [*_DESCRIPTION_FIELDS, "Couleur"]:
            col = find_column(data, _ALIASES[field])
            if col is not None and text_of(record[col]):
                target[field] = text_of(record[col])
        color = target.get("Couleur", "")
        if color and not _is_color(color):
            raise ValidationError(
                f"couleur « {color} » illisible pour le code « {code} ».",
                path=where,
                line=line,
                hint="écrivez la couleur en hexadécimal, par exemple « #CC3333 », ou laissez vide.",
            )
    return Codebook(pd.DataFrame(rows))


def _is_color(value: str) -> bool:
    import re

    return bool(re.fullmatch(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})", value))


# --------------------------------------------------------------------------------------------
# REFI-QDA codebook (.qdc)


def code_elements(
    parent: ET.Element,
    codebook: Codebook,
    tag: Callable[[str], str],
    with_description: bool = True,
) -> None:
    """Add the codes of ``codebook`` under ``parent`` as nested ``Code`` elements (themes contain
    their sub-themes); ``tag`` gives the namespaced name of an element."""
    table = codebook.table
    children: dict[str, list[int]] = {}
    for i, p in enumerate(table["Parent"]):
        children.setdefault(p, []).append(i)

    def add(node: ET.Element, parent_name: str) -> None:
        for i in children.get(parent_name, []):
            row = table.iloc[i]
            attrs = {
                "guid": guid("code", row["Code"]),
                "name": row["Code"],
                "isCodable": "true" if row["Codable"] else "false",
            }
            if row["Couleur"]:
                attrs["color"] = row["Couleur"]
            element = ET.SubElement(node, tag("Code"), attrs)
            description = codebook.description(row["Code"])
            if description and with_description:
                ET.SubElement(element, tag("Description")).text = description
            add(element, row["Code"])

    add(parent, "")


def write_qdc(codebook: Codebook, path: str | PathLike[str]) -> Path:
    """Write a codebook as a REFI-QDA ``.qdc`` file (valid against ``Codebook.xsd``).

    Definition, inclusion, exclusion and example go into each code's ``Description`` as
    labelled lines; themes are nested codes.

    Parameters
    ----------
    codebook
        The codebook (:class:`Codebook`).
    path
        The ``.qdc`` file to write.

    Returns
    -------
    pathlib.Path
        The file written.

    References
    ----------
    REFI-QDA Standard 1.5 (2019), *Codebook Exchange* and *Project Exchange* (QDA-XML
    ``Codebook.xsd`` and ``Project.xsd``, vendored in ``qualitative/schema/``). Files written
    validate against them and read back identically
    (``tests/qualitative/test_qualitative.py::test_qdc_valid_and_round_trip``,
    ``test_qdpx_valid_and_round_trip_lossless``).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> grille = quali.read_codebook(datasets.path("entretiens_centre_social") / "grille_codage.csv")
    >>> chemin = quali.write_qdc(grille, Path(tempfile.mkdtemp()) / "grille.qdc")
    >>> len(quali.read_qdc(chemin)) == len(grille)
    True
    """
    ET.register_namespace("", CODEBOOK_NS)

    def tag(name: str) -> str:
        return f"{{{CODEBOOK_NS}}}{name}"

    root = ET.Element(tag("CodeBook"), {"origin": f"movsc-toolkit {__version__}"})
    codes = ET.SubElement(root, tag("Codes"))
    code_elements(codes, codebook, tag)
    if not len(codes):
        raise FormatError("la grille de codage est vide : rien à exporter.")
    target = output_path(path, (".qdc",), "la grille de codage REFI-QDA")
    write_refi_bytes(target, xml_bytes(root), "la grille de codage REFI-QDA")
    return target


_FIELD_RE = re.compile(r"^(Définition|Inclusion|Exclusion|Exemple)\s*:\s?(.*)$")


def codes_from_xml(
    codes_el: ET.Element, problems: list[dict[str, Any]]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The codebook table read from a ``Codes`` element, and the code name of each GUID;
    renamed duplicates are added to ``problems``."""
    rows: list[dict[str, Any]] = []
    by_guid: dict[str, str] = {}
    names: set[str] = set()

    def walk(node: ET.Element, parent: str) -> None:
        for code in children(node, "Code"):
            name = (code.get("name") or "").strip() or "(sans nom)"
            if name in names:
                new = f"{name} ({parent or 'racine'})"
                k = 2
                while new in names:
                    new = f"{name} ({k})"
                    k += 1
                problems.append(
                    problem_row(
                        name, "Code", name, "alerte", f"nom de code en double, renommé « {new} »"
                    )
                )
                name = new
            names.add(name)
            by_guid[norm_guid(code.get("guid"))] = name
            row: dict[str, Any] = {
                "Code": name,
                "Parent": parent,
                "Couleur": code.get("color") or "",
                "Codable": (code.get("isCodable") or "true").strip().lower() in ("true", "1"),
            }
            desc = child(code, "Description")
            row.update(_split_description(desc.text if desc is not None else ""))
            rows.append(row)
            walk(code, name)

    walk(codes_el, "")
    return pd.DataFrame(rows), by_guid


def _split_description(text: str | None) -> dict[str, str]:
    text = (text or "").strip()
    if not text:
        return {}
    fields: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        match = _FIELD_RE.match(line)
        if match:
            current = match.group(1)
            fields[current] = [match.group(2)]
        elif current is not None:
            fields[current].append(line)
        else:
            return {"Définition": text}
    return {k: "\n".join(v).strip() for k, v in fields.items() if k in _DESCRIPTION_FIELDS}


def read_qdc(path: str | PathLike[str]) -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) exported by NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette.

    Parameters
    ----------
    path
        The ``.qdc`` file.

    Returns
    -------
    Codebook
        The codebook, themes as parents, descriptions split into definition, inclusion,
        exclusion and example.

    References
    ----------
    REFI-QDA Standard 1.5 (2019), *Codebook Exchange* and *Project Exchange* (QDA-XML
    ``Codebook.xsd`` and ``Project.xsd``, vendored in ``qualitative/schema/``). Files written
    validate against them and read back identically
    (``tests/qualitative/test_qualitative.py::test_qdc_valid_and_round_trip``,
    ``test_qdpx_valid_and_round_trip_lossless``).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> grille = quali.read_codebook(datasets.path("entretiens_centre_social") / "grille_codage.csv")
    >>> chemin = quali.write_qdc(grille, Path(tempfile.mkdtemp()) / "grille.qdc")
    >>> len(quali.read_qdc(chemin)) == len(grille)
    True
    """
    p = Path(path)
    if not p.is_file():
        raise FileError("fichier introuvable.", path=p, hint="vérifiez le nom et le dossier.")
    root = parse_xml(p.read_bytes(), p, p.name)
    if local_name(root.tag) != "CodeBook":
        raise FormatError(
            f"ce fichier n'est pas une grille de codage REFI-QDA (élément racine « {local_name(root.tag)} »).",
            path=p,
            hint="exportez la grille (« codebook ») au format .qdc depuis votre logiciel.",
        )
    codes = child(root, "Codes")
    if codes is None or not children(codes, "Code"):
        raise FormatError("la grille de codage ne contient aucun code.", path=p)
    table, _ = codes_from_xml(codes, [])
    return Codebook(table)
