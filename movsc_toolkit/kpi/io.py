"""Reading and writing the project workbook; the empty, documented template.

``read_project`` reads an ``.xlsx``/``.ods`` workbook (sheets ``cadre_logique``,
``indicateurs``, ``valeurs``, ``jalons``, ``budget``) or a folder of CSV files named after the
sheets (``indicateurs.csv``, ``valeurs.csv``…), through :func:`movsc_toolkit.read_table`, so
French CSV files (``;``, decimal comma, Windows-1252) are accepted as they are.
"""

from __future__ import annotations

import warnings
from os import PathLike
from pathlib import Path

import pandas as pd

from .._errors import FileError, MovscWarning, ValidationError
from .._io import EXCEL_SUFFIXES, TEXT_SUFFIXES, read_table
from .._write import append_row, new_workbook, output_path, save_workbook, write_excel
from ._cells import key
from .model import Project, build_project
from .schema import ENUMS, SCHEMA

__all__ = ["read_project", "template", "write_project"]

_SHEETS = ("cadre_logique", "indicateurs", "valeurs", "jalons", "budget")
_DATE_COLUMNS = {
    "periode_debut",
    "periode_fin",
    "date_saisie",
    "date_debut",
    "date_prevue",
    "date_reelle",
}


def _read_quietly(path: Path, sheet: str | None = None) -> pd.DataFrame:
    """``read_table`` without its warning on almost-numeric columns: the validation of the
    project reports each non-numeric value itself, with its sheet, line and indicator."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MovscWarning)
        return read_table(path, sheet)


def _sheet_names(path: Path) -> list[str]:
    engine = {".xlsx": "openpyxl", ".xlsm": "openpyxl", ".xls": "xlrd", ".ods": "odf"}[
        path.suffix.lower()
    ]
    try:
        with pd.ExcelFile(path, engine=engine) as book:
            return list(book.sheet_names)
    except Exception:
        read_table(path)  # raises the toolkit's French error for an unreadable workbook
        raise


def read_project(
    path: str | PathLike[str], *, strict: bool = False, name: str | None = None
) -> Project:
    """Read and validate a project workbook.

    Parameters
    ----------
    path
        An ``.xlsx``, ``.xls`` or ``.ods`` workbook with the sheets ``indicateurs`` and
        ``valeurs`` (required) and ``cadre_logique``, ``jalons``, ``budget`` (optional); or a
        folder holding ``indicateurs.csv``, ``valeurs.csv``… Sheet and column names are
        matched ignoring case and accents.
    strict
        Raise :class:`~movsc_toolkit._errors.ValidationError` when a row has to be ignored,
        instead of listing it in ``project.problems``.
    name
        The project's name (default: the file or folder name).

    Returns
    -------
    Project
        ``project.problems`` lists, in French, every problem found, with the sheet, the line
        and the indicator.

    Examples
    --------
    >>> from movsc_toolkit import datasets, kpi
    >>> chemin = datasets.path("projet_cap_avenir") / "projet_cap_avenir.xlsx"
    >>> projet = kpi.read_project(chemin)
    >>> projet.name, len(projet.indicators), len(projet.problems)
    ('projet_cap_avenir', 8, 0)
    """
    p = Path(path)
    frames: dict[str, pd.DataFrame] = {}
    if p.is_dir():
        files = {
            key(f.stem): f
            for f in sorted(p.iterdir())
            if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES | EXCEL_SUFFIXES
        }
        for sheet in _SHEETS:
            if sheet in files:
                frames[sheet] = _read_quietly(files[sheet])
        found = ", ".join(f"« {f.name} »" for f in files.values()) or "aucun fichier"
    else:
        if not p.exists() or p.suffix.lower() not in EXCEL_SUFFIXES:
            if p.exists() and p.suffix.lower() in TEXT_SUFFIXES:
                raise FileError(
                    "un projet tient en plusieurs tableaux : un fichier CSV seul ne suffit pas.",
                    path=p,
                    hint="donnez le dossier qui contient indicateurs.csv et valeurs.csv, ou un "
                    "classeur .xlsx/.ods avec une feuille par tableau.",
                )
            read_table(p)  # French error: missing file or unsupported format
        names = _sheet_names(p)
        by_key = {key(n): n for n in names}
        for sheet in _SHEETS:
            if sheet in by_key:
                frames[sheet] = _read_quietly(p, by_key[sheet])
        found = ", ".join(f"« {n} »" for n in names)
    missing = [s for s in ("indicateurs", "valeurs") if s not in frames]
    if missing:
        what = " et ".join(f"« {m} »" for m in missing)
        raise ValidationError(
            f"il manque {what} (trouvé : {found}).",
            path=p,
            hint="un projet a au moins une feuille « indicateurs » et une feuille « valeurs » "
            "(ou des fichiers indicateurs.csv et valeurs.csv dans le dossier) ; partez du "
            "modèle kpi.template('mon_projet.xlsx').",
        )
    return build_project(
        frames["indicateurs"],
        frames["valeurs"],
        frames.get("cadre_logique"),
        frames.get("jalons"),
        frames.get("budget"),
        name=name or (p.stem if p.is_file() else p.name),
        strict=strict,
        path=str(p),
    )


def _style_sheet(ws, columns: list[str], widths: dict[str, int] | None = None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_fill = PatternFill("solid", fgColor="0072B2")
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        width = (widths or {}).get(col, max(12, min(40, len(col) + 4)))
        ws.column_dimensions[get_column_letter(i)].width = width
        if col in _DATE_COLUMNS:
            for row in range(2, 1001):
                ws.cell(row=row, column=i).number_format = "DD/MM/YYYY"
    ws.freeze_panes = "A2"


def template(path: str | PathLike[str]) -> Path:
    """Write an empty, documented project workbook to fill in Excel or LibreOffice Calc.

    The workbook has a ``lisez-moi`` sheet explaining each sheet and column in French, then the
    sheets ``cadre_logique``, ``indicateurs``, ``valeurs``, ``jalons`` and ``budget`` with
    their column headers; enumerated columns (``niveau``, ``type_resultat``, ``mesure``,
    ``sens``, ``agregation``, ``periodicite``, ``type_valeur``) offer a drop-down list.

    Parameters
    ----------
    path
        Where to write the ``.xlsx`` file.

    Returns
    -------
    pathlib.Path
        The file written. ``read_project`` reads it back (an empty project).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import openpyxl
    >>> from movsc_toolkit import kpi
    >>> chemin = kpi.template(Path(tempfile.mkdtemp()) / "mon_projet.xlsx")
    >>> openpyxl.load_workbook(chemin).sheetnames
    ['lisez-moi', 'cadre_logique', 'indicateurs', 'valeurs', 'jalons', 'budget']
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    p = Path(path)
    if p.suffix.lower() != ".xlsx":
        raise FileError(
            "le modèle s'écrit au format .xlsx.",
            path=p,
            hint="donnez un nom de fichier se terminant par .xlsx (Calc l'ouvre aussi).",
        )
    p = output_path(p, (".xlsx",), "le modèle de projet")
    wb = new_workbook()
    readme = wb.active
    readme.title = "lisez-moi"
    intro = [
        "Classeur de pilotage d'un projet (modèle movsc-toolkit)",
        "Remplissez une ligne par fait. Seules les feuilles « indicateurs » et « valeurs » sont "
        "obligatoires ; les colonnes marquées « oui » sont indispensables aux calculs.",
        "Dates au format JJ/MM/AAAA. Nombres avec virgule décimale acceptés. Les listes "
        "déroulantes donnent les valeurs possibles des colonnes à choix.",
        "Lecture : from movsc_toolkit import kpi ; projet = kpi.read_project('ce_fichier.xlsx') ; "
        "kpi.dashboard(projet, as_of='31/03/2026').",
        "",
    ]
    for text in intro:
        append_row(readme, [text])
    readme["A1"].font = Font(bold=True, size=14)
    append_row(readme, ["Feuille", "Colonne", "Obligatoire", "Description", "Valeurs possibles"])
    header_row = readme.max_row
    for cell in readme[header_row]:
        cell.font = Font(bold=True)
    for sheet in _SHEETS:
        for col, required, doc in SCHEMA[sheet]:
            choices = ENUMS.get((sheet, col), ())
            append_row(readme, [sheet, col, "oui" if required else "non", doc, ", ".join(choices)])
    for letter, width in zip("ABCDE", (16, 22, 12, 90, 60), strict=True):
        readme.column_dimensions[letter].width = width
    for row in readme.iter_rows(min_row=header_row + 1):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    for sheet in _SHEETS:
        ws = wb.create_sheet(sheet)
        columns = [c for c, _, _ in SCHEMA[sheet]]
        append_row(ws, columns)
        _style_sheet(ws, columns, {"libelle": 40, "definition": 40, "commentaire": 40})
        for (sh, col), choices in ENUMS.items():
            if sh != sheet:
                continue
            letter = get_column_letter(columns.index(col) + 1)
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Valeur non prévue",
                error="Choisissez une valeur de la liste : " + ", ".join(choices),
            )
            dv.add(f"{letter}2:{letter}1000")
            ws.add_data_validation(dv)
    return save_workbook(wb, p, what="le modèle de projet")


def write_project(project: Project, path: str | PathLike[str]) -> Path:
    """Write a project (for instance after adjusting targets) to an ``.xlsx`` workbook.

    The sheets and columns are those of :func:`template`; ``read_project`` reads it back.

    Parameters
    ----------
    project
        The project to write (:class:`Project`).
    path
        The workbook to write (``.xlsx``); folders are created, an open file is reported.

    Returns
    -------
    pathlib.Path
        The file written. :func:`read_project` reads it back to the same project.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from movsc_toolkit import datasets, kpi
    >>> projet = datasets.load("projet_cap_avenir")
    >>> chemin = kpi.write_project(projet, Path(tempfile.mkdtemp()) / "copie.xlsx")
    >>> len(kpi.read_project(chemin).values) == len(projet.values)
    True
    """
    p = Path(path)
    if p.suffix.lower() != ".xlsx":
        raise FileError(
            "le projet s'écrit au format .xlsx.",
            path=p,
            hint="donnez un nom de fichier se terminant par .xlsx.",
        )
    tables = {
        "cadre_logique": project.logframe,
        "indicateurs": project.indicators,
        "valeurs": project.values,
        "jalons": project.milestones,
        "budget": project.budget,
    }
    frames = {
        sheet: df.reset_index(drop=True).reindex(columns=[c for c, _, _ in SCHEMA[sheet]])
        for sheet, df in tables.items()
    }

    def style(ws: object, frame: pd.DataFrame, sheet: str) -> None:
        _style_sheet(ws, list(frame.columns), {"libelle": 40, "definition": 40, "commentaire": 40})

    return write_excel(
        p,
        frames,
        what="le classeur du projet",
        suffixes=(".xlsx",),
        index=False,
        freeze="A2",
        bold_rows=(),
        style=style,
    )
