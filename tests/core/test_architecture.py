"""The package's shape: modules of one subject, no import cycle, no private name crossing a
module boundary, one family of results, no duplicated block of logic.

Everything is read from the source with :mod:`ast` (imports inside functions count: hiding a
cycle in a function does not remove it; imports under ``if TYPE_CHECKING:`` do not, since they
never run).
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import importlib
import inspect
from collections import defaultdict
from pathlib import Path

import pytest

import movsc_toolkit
from movsc_toolkit._report import Report

PACKAGE = Path(movsc_toolkit.__file__).resolve().parent
MAX_LINES = 600
MODULES = {
    ".".join(("movsc_toolkit", *p.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(
        ".__init__"
    ): p
    for p in sorted(PACKAGE.rglob("*.py"))
}
SUBPACKAGES = {
    "movsc_toolkit",
    *(name for name, path in MODULES.items() if path.name == "__init__.py"),
}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run (not those under ``if TYPE_CHECKING:``)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module if module in SUBPACKAGES else module.rsplit(".", 1)[0]
    for _ in range(node.level - 1):
        base = base.rsplit(".", 1)[0]
    return f"{base}.{node.module}" if node.module else base


def _lazy_targets(module: str, tree: ast.Module) -> set[str]:
    """Submodules a package ``__init__`` loads on first use (its ``_EXPORTS`` table)."""
    targets: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            names = [
                t.id
                for t in getattr(node, "targets", [getattr(node, "target", None)])
                if isinstance(t, ast.Name)
            ]
            if "_EXPORTS" in names and isinstance(node.value, ast.Dict):
                for value in node.value.values:
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        targets.add(f"{module}.{value.value}")
    return targets


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        tree = _tree(path)
        for node in _imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _absolute(module, node)
                targets = [base]
                targets += [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                if target in MODULES and target != module:
                    graph[module].add(target)
        if path.name == "__init__.py":
            graph[module] |= {t for t in _lazy_targets(module, tree) if t in MODULES}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    nodes = set(graph) | {t for targets in graph.values() for t in targets}
    for node in sorted(nodes):
        if node not in index:
            connect(node)
    return found


def _is_package_edge(source: str, target: str) -> bool:
    """An edge between a package ``__init__`` and its own submodules (lazy loading)."""
    return (source in SUBPACKAGES and target.startswith(source + ".")) or (
        target in SUBPACKAGES and source.startswith(target + ".")
    )


def test_the_import_graph_has_no_cycle():
    graph = _graph()
    # the package __init__ files only route names to their submodules; a submodule importing a
    # sibling through its package (``from . import x``) is kept as an edge to the sibling
    modules_only = {
        src: {dst for dst in dsts if not _is_package_edge(src, dst)} for src, dsts in graph.items()
    }
    assert len(graph) > 20
    cycles = [" ⇄ ".join(c) for c in _cycles(modules_only)]
    assert cycles == [], "\n".join(cycles)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_under_600_lines(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} : {lines} lignes (coupez-le selon ses sujets)"


def _defined_private_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[-1])
    return {n for n in names if n.startswith("_")}


def _crossings() -> list[str]:
    found: list[str] = []
    for module, path in MODULES.items():
        tree = _tree(path)
        defined = _defined_private_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (
                node.level or (node.module or "").startswith("movsc_toolkit")
            ):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{module}:{node.lineno} importe {alias.name}")
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
                if node.attr.startswith("__") or node.attr in defined:
                    continue
                owner = node.value
                if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                    continue
                found.append(f"{module}:{node.lineno} lit .{node.attr}")
    return found


# names the Python data model or a library asks us to use (not the toolkit's own private names)
_LIBRARY_PRIVATE = {
    "_repr_html_",  # IPython display protocol
    "_replace",  # namedtuple API
    "_showtraceback",  # IPython: the method kernels override to send an error output
}


def test_no_private_name_crosses_a_module_boundary():
    found = [f for f in _crossings() if f.rsplit(" ", 1)[-1].lstrip(".") not in _LIBRARY_PRIVATE]
    assert found == [], "\n".join(found)


def _public_classes() -> list[tuple[str, type]]:
    classes = []
    for package in (
        "movsc_toolkit.survey",
        "movsc_toolkit.lexico",
        "movsc_toolkit.finance",
        "movsc_toolkit.kpi",
        "movsc_toolkit.qualitative",
    ):
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and dataclasses.is_dataclass(obj):
                classes.append((f"{package}.{name}", obj))
    return classes


# value records (a question, a CERFA line…): plain data compared field by field, not results
RECORDS = {
    "movsc_toolkit.survey.Choice",
    "movsc_toolkit.survey.Question",
    "movsc_toolkit.survey.Indicator",
    "movsc_toolkit.finance.CerfaLine",
    "movsc_toolkit.finance.Section",
    "movsc_toolkit.finance.CallForProjects",
    "movsc_toolkit.lexico.ParsedText",
}


@pytest.mark.parametrize(
    "qualname,cls", _public_classes(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_result_is_one_of_the_family(qualname, cls):
    if qualname in RECORDS:
        assert all("DataFrame" not in str(f.type) for f in dataclasses.fields(cls)), (
            f"{qualname} porte un tableau : c'est un résultat, pas un enregistrement"
        )
        return
    assert issubclass(cls, Report), f"{qualname} doit hériter de movsc_toolkit._report.Report"
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen and not params.eq and not params.repr, (
        f"{qualname} : déclarez-le avec @result"
    )
    assert cls.to_frame is not Report.to_frame, f"{qualname} doit définir to_frame()"


def _normalised_lines(path: Path) -> list[tuple[int, str]]:
    """Code lines without docstrings, signatures, comments, blank lines and bare brackets.

    Two functions may share a signature (``debit_balances`` and ``credit_balances``): that is
    an interface, not duplicated logic.
    """
    tree = _tree(path)
    doc_lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            doc_lines.update(range(node.lineno, node.body[0].lineno))
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                doc_lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    kept = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = (
            line.split("#", 1)[0].strip()
            if not line.strip().startswith(("'", '"'))
            else line.strip()
        )
        if number in doc_lines or len(text) < 4 or text in (")", "]", "}", "),", "],", "},"):
            continue
        kept.append((number, text))
    return kept


def test_no_block_of_six_lines_is_duplicated():
    window = 6
    seen: dict[str, str] = {}
    repeats: list[str] = []
    for module, path in MODULES.items():
        lines = _normalised_lines(path)
        for i in range(len(lines) - window + 1):
            block = "\n".join(text for _, text in lines[i : i + window])
            if block.count("(") < 2:  # data tables and argument lists are not logic
                continue
            key = hashlib.sha1(block.encode()).hexdigest()
            where = f"{module}:{lines[i][0]}"
            if key in seen:
                repeats.append(f"{where} = {seen[key]}")
            seen.setdefault(key, where)
    assert repeats == [], "\n".join(repeats[:40])
