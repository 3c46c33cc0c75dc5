"""French error messages: what, where, what to do."""

from __future__ import annotations

import pandas as pd
import pytest

from movsc_toolkit._errors import (
    ColumnError,
    ComputationError,
    DataError,
    EncodingError,
    FileError,
    FormatError,
    MovscError,
    ValidationError,
    check_columns,
    closest,
    column_error,
)


def test_message_with_location_and_hint():
    error = MovscError(
        "la valeur « abc » n'est pas un nombre.",
        path="reponses.csv",
        line=12,
        column="Âge",
        hint="corrigez la case dans le tableur.",
    )
    assert str(error) == (
        "Fichier « reponses.csv », ligne 12, colonne « Âge » : la valeur « abc » n'est pas un "
        "nombre.\nQue faire : corrigez la case dans le tableur."
    )
    assert (error.path, error.line, error.column) == ("reponses.csv", 12, "Âge")


def test_message_without_location():
    assert str(MovscError("rien à signaler.")) == "rien à signaler."
    assert str(MovscError("x.", line=3)) == "Ligne 3 : x."
    assert str(MovscError("x.", hint="y.")) == "x.\nQue faire : y."


@pytest.mark.parametrize(
    ("cls", "bases"),
    [
        (FileError, (OSError,)),
        (EncodingError, (FileError, OSError)),
        (FormatError, (FileError, OSError)),
        (ColumnError, (KeyError,)),
        (DataError, (ValueError,)),
        (ValidationError, (ValueError,)),
        (ComputationError, (RuntimeError,)),
    ],
)
def test_hierarchy(cls, bases):
    error = cls("problème.")
    assert isinstance(error, MovscError)
    for base in bases:
        assert isinstance(error, base)
    with pytest.raises(MovscError):
        raise error


def test_column_error_str_is_not_quoted_like_keyerror():
    error = ColumnError("la colonne « x » n'existe pas.")
    assert str(error) == "la colonne « x » n'existe pas."


def test_closest_ignores_case_first_then_fuzzy():
    assert closest("age", ["Âge", "AGE", "Sexe"]) == ["AGE"]
    assert closest("Quartiers", ["Quartier", "Commune"]) == ["Quartier"]
    assert closest("zzz", ["Quartier", "Commune"]) == []


def test_column_error_suggests_the_closest_name():
    error = column_error("Age", ["Nom", "Âge", "Sexe"])
    assert isinstance(error, ColumnError)
    assert "la colonne « Age » n'existe pas." in str(error)
    assert "vouliez-vous dire « Âge » ?" in str(error)


def test_column_error_lists_columns_when_nothing_is_close():
    error = column_error("xyz", [f"q{i}" for i in range(20)], what="variable")
    message = str(error)
    assert "la variable « xyz » n'existe pas." in message
    assert "les variables disponibles sont : « q0 »" in message
    assert "…" in message  # only the first 15 are listed


def test_check_columns():
    df = pd.DataFrame({"Nom": [1], "Âge": [2]})
    check_columns(df, ["Nom", "Âge"])
    with pytest.raises(ColumnError, match="« Quartier »"):
        check_columns(df, ["Nom", "Quartier"], path="a.csv")


# --------------------------------------------------------------------------- IPython / notebooks


@pytest.fixture
def shell():
    """A real IPython shell with the toolkit's handler, restored afterwards."""
    from IPython.core.interactiveshell import InteractiveShell

    from movsc_toolkit import _errors

    ip = InteractiveShell.instance()
    ip.set_custom_exc((), None)
    assert _errors.register_ipython_handler(ip)
    ip.run_cell("from movsc_toolkit._errors import DataError, FileError", store_history=False)
    yield ip
    ip.set_custom_exc((), None)
    ip.run_line_magic("xmode", "Context")
    _errors.options.traceback = None


def _plain(text):
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


_RAISE = (
    "def lire():\n"
    "    raise FileError('le fichier est introuvable.', path='reponses.csv', line=4,\n"
    "                    hint='vérifiez le nom du fichier.')\n"
    "lire()\n"
)


def test_ipython_shows_a_french_box_without_traceback(shell, capsys):
    result = shell.run_cell(_RAISE, store_history=False)
    out = capsys.readouterr()
    text = out.out + out.err
    assert isinstance(result.error_in_exec, FileError)  # the cell still counts as failed
    assert "⚠ Problème de fichier" in text
    assert "le fichier est introuvable." in text
    assert "Fichier : « reponses.csv »" in text
    assert "Ligne du fichier : 4" in text
    assert "Que faire : vérifiez le nom du fichier." in text
    assert "Dans votre cellule : ligne 2 : raise FileError(" in text
    assert "Traceback" not in text
    assert "_errors.py" not in text
    assert "\x1b[" not in text  # no ANSI colour codes


def test_ipython_html_box_for_jupyter(shell):
    captured = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: captured.append(data)
    try:
        shell.run_cell("raise DataError('x < 0 & y.', hint='<b>corrigez</b>')", store_history=False)
    finally:
        del shell.display_pub.publish
    (data,) = captured
    assert "text/plain" in data
    html = data["text/html"]
    assert "movsc-error" in html
    assert "Données inutilisables pour ce calcul" in html
    assert "x &lt; 0 &amp; y." in html  # escaped
    assert "&lt;b&gt;corrigez&lt;/b&gt;" in html


def test_other_exceptions_keep_their_traceback(shell, capsys):
    result = shell.run_cell("def f():\n    return 1 / 0\nf()\n", store_history=False)
    text = _plain(capsys.readouterr().out)
    assert isinstance(result.error_in_exec, ZeroDivisionError)
    assert "Traceback" in text or "ZeroDivisionError" in text
    assert "return 1 / 0" in text  # the frames are there
    assert "⚠" not in text


@pytest.mark.parametrize("how", ["xmode", "option", "env"])
def test_full_traceback_on_demand(shell, capsys, monkeypatch, how):
    from movsc_toolkit import _errors

    if how == "xmode":
        shell.run_line_magic("xmode", "Verbose")
    elif how == "option":
        _errors.options.traceback = True
    else:
        monkeypatch.setenv("MOVSC_TRACEBACK", "1")
    capsys.readouterr()
    shell.run_cell(_RAISE, store_history=False)
    text = _plain(capsys.readouterr().out)
    assert "⚠" not in text
    assert "raise FileError" in text  # the frames are shown
    assert "le fichier est introuvable." in text


def test_import_registers_the_handler_in_ipython_only():
    import subprocess
    import sys

    code = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "ip = InteractiveShell.instance()\n"
        "import movsc_toolkit\n"
        "print(ip.custom_exceptions == (movsc_toolkit.MovscError,))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "True"


def test_register_keeps_someone_elses_handler():
    from IPython.core.interactiveshell import InteractiveShell

    from movsc_toolkit._errors import register_ipython_handler

    ip = InteractiveShell.instance()
    ip.set_custom_exc((KeyError,), lambda *a, **k: None)
    try:
        assert not register_ipython_handler(ip)
        assert ip.custom_exceptions == (KeyError,)
    finally:
        ip.set_custom_exc((), None)


def test_notebook_error_output_is_french_and_short(execute_notebook, tmp_path):
    import nbformat
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from movsc_toolkit import datasets"),
        nbformat.v4.new_code_cell('datasets.load("jeu_inexistant")'),
    ]
    with pytest.raises(CellExecutionError):
        execute_notebook(nb, tmp_path)
    outputs = nb.cells[1].outputs
    assert [o.output_type for o in outputs] == ["display_data", "error"]
    box = outputs[0].data
    assert "n'existe pas" in box["text/plain"]
    assert "Que faire" in box["text/html"]
    everything = nbformat.writes(nb)
    assert "Traceback" not in everything
    assert "site-packages" not in everything
    assert "movsc_toolkit/" not in everything
    assert "\\u001b[" not in everything  # no ANSI escape in the error output
    assert "jeu_inexistant" in outputs[1].evalue


def test_notebook_warning_is_one_french_sentence(execute_notebook, tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import warnings\n"
            "import movsc_toolkit\n"
            "from movsc_toolkit._errors import MovscWarning\n"
            "warnings.warn(MovscWarning('la colonne « âge » est vide.'))\n"
            "warnings.warn(UserWarning('autre avertissement'))"
        )
    ]
    execute_notebook(nb, tmp_path)
    text = "".join(o.text for o in nb.cells[0].outputs if o.output_type == "stream")
    assert "Attention : la colonne « âge » est vide.\n" in text
    assert "MovscWarning" not in text
    assert "UserWarning: autre avertissement" in text  # other warnings unchanged


def test_numpy_scalars_display_french_even_with_numpy_loaded_first():
    """IPython has its own printer for numpy.float64 once numpy is loaded: ours replaces it."""
    import subprocess
    import sys

    code = (
        "import numpy as np\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "ip = InteractiveShell.instance()\n"
        "import movsc_toolkit\n"
        "plain = ip.display_formatter.formatters['text/plain']\n"
        "print(plain(np.float64(0.3971382814)), plain(np.int64(1234567)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "0,40 1\u202f234\u202f567"
