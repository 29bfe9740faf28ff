"""The layers of docs/architecture.md, checked on the imports of every product file (pure, no database).

Every ``.py`` file of the product packages is parsed with ``ast``; each import (``import``,
``from ... import``, relative imports resolved, ``importlib.import_module("...")`` with a
literal name) and a few calls are held against these rules:

- ``neo4j_local``, ``connection`` and ``iomath`` import nothing of the product;
- ``schema`` imports only ``connection`` (``schema/apply.py`` and the CLI apply the
  constraints through ``connection.write``); ``schema/model.py``, the label and type
  whitelist every layer reads, imports nothing of the product;
- ``iomath`` is arithmetic: numpy and pure standard modules, no file, network or
  database library, no ``open``/``print``/numpy file functions;
- ``loader`` imports ``connection``, ``schema``, ``iomath``; only ``loader/cli.py`` may
  import ``queries``, and only ``queries.examples`` (the ``demo`` command saves the example
  reports);
- ``queries`` imports ``connection``, ``schema``, ``iomath``: never ``loader`` or ``explorer``;
- ``explorer`` imports ``connection``, ``schema``, ``queries``; it never writes: no
  ``connection.write``, no ``schema.apply``, no ``loader`` (its one write is
  ``queries.reports.save_report``);
- only ``connection/`` touches the driver's session and transaction API: elsewhere the
  ``neo4j`` package is imported only for exceptions and value types, and nothing calls
  ``get_driver``, ``.session()``, ``execute_query``, ``execute_read``/``execute_write``,
  ``begin_transaction``.

A failure lists every crossing as ``file:line: the import -- the rule``.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PRODUCT = ("neo4j_local", "connection", "schema", "iomath", "loader", "queries", "explorer")

# which other product packages each layer may import
MAY_IMPORT = {
    "neo4j_local": (),
    "connection": (),
    "schema": ("connection",),
    "iomath": (),
    "loader": ("connection", "schema", "iomath"),
    "queries": ("connection", "schema", "iomath"),
    "explorer": ("connection", "schema", "queries"),
}
PURE_FILES = {"schema/model.py": "the label and type whitelist every layer reads imports nothing of the product"}
# (file, allowed module prefix): the loader's command line saves the demo's example reports,
# and the bulk first load stops the local server, imports offline and starts it again
EXTRA = {("loader/cli.py", "queries.examples"), ("loader/graph/bulk.py", "neo4j_local.importer")}

IOMATH_MAY_USE = {"numpy", "__future__", "abc", "cmath", "collections", "dataclasses", "decimal", "enum",
                  "fractions", "functools", "itertools", "math", "numbers", "operator", "statistics", "types",
                  "typing", "warnings"}
IOMATH_NO_CALLS = {"open", "input", "print", "exec", "eval", "compile", "breakpoint", "__import__"}
IOMATH_NO_METHODS = {"load", "save", "savez", "savez_compressed", "loadtxt", "savetxt", "genfromtxt", "fromfile",
                     "tofile", "memmap", "fromregex", "read_text", "read_bytes", "write_text", "write_bytes"}

DRIVER_VALUES = ("neo4j.exceptions", "neo4j.time", "neo4j.graph", "neo4j.spatial")
SESSION_API = {"get_driver", "session", "execute_query", "execute_read", "execute_write", "begin_transaction",
               "read_transaction", "write_transaction"}

# Crossings in today's code, each waiting for the change named here. The test fails when one of
# them disappears (delete its entry with the fix) and when any crossing not listed appears.
PENDING: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    line: int
    module: str                 # absolute dotted name of the module imported from
    targets: tuple[str, ...]    # module.name for each name of a from-import; (module,) otherwise


@dataclass(frozen=True)
class Crossing:
    file: str
    line: int
    what: str                   # the forbidden import or call
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what} -- {self.rule}"


def product_files(root: Path) -> list[Path]:
    return sorted(p for pkg in PRODUCT for p in (root / pkg).rglob("*.py"))


def _package_of(rel: str) -> list[str]:
    """The package a file's relative imports start from: its folder (for an __init__.py too)."""
    return rel[:-3].split("/")[:-1]


def imports_in(tree: ast.AST, rel: str) -> list[Import]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [Import(node.lineno, a.name, (a.name,)) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package_of(rel)[: len(_package_of(rel)) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append(Import(node.lineno, module, tuple(f"{module}.{a.name}" for a in node.names)))
        elif isinstance(node, ast.Call) and _called_name(node) in ("import_module", "__import__") and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            out.append(Import(node.lineno, node.args[0].value, (node.args[0].value,)))
    return out


def _called_name(call: ast.Call) -> str | None:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


def _import_crossings(rel: str, layer: str, imp: Import) -> list[Crossing]:
    top = imp.module.split(".")[0]
    shown = imp.targets[0] if len(imp.targets) == 1 else imp.module

    def crossing(rule: str, what: str = shown) -> list[Crossing]:
        return [Crossing(rel, imp.line, what, rule)]

    if top in PRODUCT and top != layer:
        if rel in PURE_FILES:
            return crossing(PURE_FILES[rel])
        if top not in MAY_IMPORT[layer] and not all(
                any(t == p or t.startswith(p + ".") for f, p in EXTRA if f == rel) for t in imp.targets):
            allowed = ", ".join(MAY_IMPORT[layer]) or "nothing of the product"
            extra = [p for f, p in EXTRA if f == rel]
            return crossing(f"{layer} may import {allowed}" + (f" (and {', '.join(extra)})" if extra else ""))
    if layer == "explorer":
        if top == "connection" and any(t.endswith(".write") for t in imp.targets):
            return crossing("the explorer never writes: it reads through connection.read; its one write is "
                            "queries.reports.save_report", next(t for t in imp.targets if t.endswith(".write")))
        if any(t.startswith("schema.apply") for t in imp.targets):
            return crossing("the explorer never writes: schema.apply changes constraints")
    if layer != "connection":
        if top == "connection" and any(t.endswith(".get_driver") for t in imp.targets):
            return crossing("only connection/ holds the driver: use connection.read / connection.write",
                            "connection.get_driver")
        if top == "neo4j" and not all(t.startswith(DRIVER_VALUES) for t in imp.targets):
            return crossing("only connection/ touches the driver's sessions and transactions; elsewhere import "
                            "only neo4j.exceptions (or the value types neo4j.time, neo4j.graph, neo4j.spatial)",
                            next(t for t in imp.targets if not t.startswith(DRIVER_VALUES)))
    if layer == "iomath" and top not in PRODUCT and top not in IOMATH_MAY_USE:
        return crossing("iomath is pure arithmetic: numpy and pure standard modules only (no file, network, "
                        "database or UI library)")
    return []


def _call_crossings(rel: str, layer: str, tree: ast.AST) -> list[Crossing]:
    out = []
    for node in ast.walk(tree):
        if layer == "explorer" and isinstance(node, ast.Attribute) and node.attr == "write" \
                and isinstance(node.value, ast.Name) and node.value.id == "connection":
            out.append(Crossing(rel, node.lineno, "connection.write", "the explorer never writes"))
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if layer != "connection" and name in SESSION_API:
            out.append(Crossing(rel, node.lineno, f".{name}()" if isinstance(node.func, ast.Attribute) else f"{name}()",
                                "only connection/ opens sessions and transactions: use connection.read / "
                                "connection.write"))
        if layer == "iomath" and (isinstance(node.func, ast.Name) and name in IOMATH_NO_CALLS
                                  or isinstance(node.func, ast.Attribute) and name in IOMATH_NO_METHODS):
            out.append(Crossing(rel, node.lineno, f"{name}()", "iomath does no I/O: arrays in, arrays out"))
    return out


def crossings(root: Path) -> list[Crossing]:
    out = []
    for path in product_files(root):
        rel = path.relative_to(root).as_posix()
        layer = rel.split("/")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        for imp in imports_in(tree, rel):
            out += _import_crossings(rel, layer, imp)
        out += _call_crossings(rel, layer, tree)
    return out


# ---------------------------------------------------------------- the product as it is

def test_no_import_crosses_a_layer_boundary():
    found = [c for c in crossings(REPO) if (c.file, c.what) not in PENDING]
    assert not found, "imports or calls that cross a layer boundary (docs/architecture.md):\n" + \
        "\n".join(map(str, found))


def test_every_pending_crossing_still_exists():
    now = {(c.file, c.what) for c in crossings(REPO)}
    gone = [f"{f}: {w} ({why})" for (f, w), why in PENDING.items() if (f, w) not in now]
    assert not gone, "fixed, so delete these entries from PENDING:\n" + "\n".join(gone)


def test_the_scan_reads_the_whole_product():
    files = {p.relative_to(REPO).as_posix() for p in product_files(REPO)}
    assert {"connection/driver.py", "iomath/basic.py", "queries/runner.py", "explorer/app.py",
            "explorer/page_scripts/reports.py", "loader/graph/write.py", "neo4j_local/server.py"} <= files
    cli = imports_in(ast.parse((REPO / "loader/cli.py").read_text()), "loader/cli.py")
    assert any(t.startswith("queries.examples") for i in cli for t in i.targets)   # a lazy import inside a function


# ---------------------------------------------------------------- planted crossings are caught

PLANTED = [
    # (file, source, line of the crossing, what the message must name)
    ("queries/modules/x.py", "import os\nfrom loader.graph.write import write_graph\n", 2, "loader.graph.write.write_graph"),
    ("queries/runner_x.py", "from explorer.ui import page\n", 1, "explorer.ui.page"),
    ("queries/dyn.py", "import importlib\nmod = importlib.import_module('explorer.ui.page')\n", 2, "explorer.ui.page"),
    ("connection/x.py", "from schema.model import check_label\n", 1, "schema.model.check_label"),
    ("schema/model.py", "from connection import read\n", 1, "connection.read"),
    ("schema/apply.py", "from queries.runner import run_module\n", 1, "queries.runner.run_module"),
    ("iomath/x.py", "import numpy as np\nfrom queries import model\n", 2, "queries.model"),
    ("iomath/y.py", "from pathlib import Path\n", 1, "pathlib.Path"),
    ("iomath/z.py", "import pandas as pd\n", 1, "pandas"),
    ("iomath/w.py", "import numpy as np\n\n\ndef f(p):\n    return np.load(p)\n", 5, "load()"),
    ("iomath/v.py", "def f(p):\n    with open(p) as fh:\n        return fh.read()\n", 2, "open()"),
    ("loader/tables/x.py", "from queries.runner import run_module\n", 1, "queries.runner.run_module"),
    ("loader/cli.py", "def demo():\n    from queries.reports import save_report\n", 2, "queries.reports.save_report"),
    ("loader/graph/x.py", "from explorer.data import search\n", 1, "explorer.data.search"),
    ("neo4j_local/x.py", "from connection.config import Settings\n", 1, "connection.config.Settings"),
    ("queries/d.py", "from neo4j import GraphDatabase\n", 1, "neo4j.GraphDatabase"),
    ("loader/w.py", "def f(driver):\n    with driver.session() as s:\n        s.run('RETURN 1')\n", 2, ".session()"),
    ("loader/e.py", "def f(driver):\n    driver.execute_query('RETURN 1')\n", 2, ".execute_query()"),
    ("queries/g.py", "from connection import get_driver\n", 1, "connection.get_driver"),
    ("explorer/data/x.py", "from connection import read, write\n", 1, "connection.write"),
    ("explorer/data/y.py", "import connection\n\nconnection.write('RETURN 1')\n", 3, "connection.write"),
    ("explorer/ui/z.py", "from loader.tables.load import load_tables\n", 1, "loader.tables.load.load_tables"),
    ("explorer/ui/s.py", "from schema.apply import apply\n", 1, "schema.apply.apply"),
]

ALLOWED = [
    ("loader/cli.py", "def demo():\n    from queries.examples import save_examples\n"),
    ("schema/apply.py", "from connection import Settings, read, write\n"),
    ("explorer/data/a.py", "from connection import read\nfrom neo4j.exceptions import ServiceUnavailable\n"
                           "from queries import modules\nfrom schema.model import check_label\n"),
    ("iomath/ok.py", "from __future__ import annotations\nfrom dataclasses import dataclass\nimport numpy as np\n"),
    ("queries/modules/rel.py", "from ..runner import run_module\nfrom . import paths\n"),
    ("loader/graph/t.py", "def f(tx):\n    return tx.run('RETURN 1')\n"),   # a transaction handed in by a door
]


def _tree(tmp_path: Path, files: list[tuple[str, str]]) -> Path:
    for rel, source in files:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return tmp_path


@pytest.mark.parametrize("rel,source,line,what", PLANTED, ids=[p[0] for p in PLANTED])
def test_a_planted_crossing_is_named_with_file_and_line(tmp_path, rel, source, line, what):
    found = crossings(_tree(tmp_path, [(rel, source)]))
    assert [(c.file, c.line, c.what) for c in found] == [(rel, line, what)], found
    assert str(found[0]).startswith(f"{rel}:{line}: {what} -- ")


@pytest.mark.parametrize("rel,source", ALLOWED, ids=[a[0] for a in ALLOWED])
def test_allowed_imports_pass(tmp_path, rel, source):
    assert crossings(_tree(tmp_path, [(rel, source)])) == []
