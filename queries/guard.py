"""Read-only guard for Cypher typed by a user (ad-hoc queries and saved reports).

A user query runs only if every check passes, in this order:

1. text checks that give a clear message before the server sees the query: no
   ``EXPLAIN``/``PROFILE`` prefix, no ``USE`` clause (other databases, e.g. ``system``), no
   administration command (users, roles, privileges, databases, aliases, servers,
   ``SHOW TRANSACTIONS``/``SETTINGS``, ``TERMINATE``), no ``LOAD CSV``, no
   ``CALL {...} IN TRANSACTIONS``, no dynamic Cypher or file/network access
   (``apoc.cypher.*``, ``apoc.load.*``, ``apoc.import.*``, ``apoc.export.*``, ...);
2. ``EXPLAIN`` in a READ session: ``summary.query_type`` must be ``'r'`` (read only; ``'rw'``,
   ``'w'`` and ``'s'`` are writes and schema/admin commands); the plan must hold no
   ``LoadCSV``, ``TransactionForeach``/``TransactionApply`` or administration operator;
3. every procedure named in the plan must be mode READ (``SHOW PROCEDURES``) and must not be
   on the deny list: GDS changes its in-memory catalog or exports files/databases through
   procedures that declare mode READ (``gds.graph.project``, ``gds.graph.drop``,
   ``gds.*.mutate``, ``gds.graph.export``), so those are refused by name;
4. the runner then executes it in a READ transaction (the server itself rejects any write)
   with a time limit and a row cap.

Query modules of the library are trusted code and do not pass through this guard; they
still run in READ transactions (see ``queries.runner``).
"""
from __future__ import annotations

import re
from typing import Any

from neo4j.exceptions import Neo4jError

from connection import Settings, read
from queries.errors import QueryRefused

# procedures refused by name whatever mode they declare (fnmatch-like regexes)
DENIED_PROCEDURES = [
    (r"^dbms\.", "dbms.* procedures administer the server"),
    (r"^db\.(create|clear|checkpoint|index\.fulltext\.(create|drop)|awaitIndex)", "db.* procedure changes the database"),
    (r"^apoc\.(cypher|periodic|load|import|export|trigger|systemdb|log|create|merge|refactor|"
     r"nodes\.(delete|link)|lock|schema\.assert|atomic|custom|uuid|ttl)\b",
     "APOC procedures that write, run dynamic Cypher or read files/URLs are not allowed"),
    (r"^gds\.(graph\.(project|drop|export|generate|filter|sample|nodeLabel|nodeProperties\.drop|"
     r"relationships\.(drop|toUndirected|index)|graphProperty\.drop)|model|pipeline|restore|backup|"
     r"alpha|beta\.(pipeline|model|graph\.project))",
     "GDS procedures that change the in-memory graph catalog or export data are not allowed"),
    (r"^gds\..*\.(mutate|write|train)(\.|$)", "GDS mutate/write/train procedures change data"),
]
DENIED_FUNCTION_NAMESPACES = re.compile(
    r"\b(apoc\.(cypher|load|import|export|periodic|systemdb|trigger)|dbms)\.[A-Za-z_]", re.IGNORECASE)

_ADMIN = re.compile(
    r"^\s*((CREATE|DROP|ALTER|RENAME)\s+(?!\()|GRANT|DENY|REVOKE|START|STOP|ENABLE|DEALLOCATE|REALLOCATE|"
    r"TERMINATE|SHOW\s+(CURRENT\s+USER|USERS?|ROLES?|POPULATED\s+ROLES|PRIVILEGES?|(USER|ROLE)\s+\S+\s+PRIVILEGES|"
    r"DATABASES?|HOME\s+DATABASE|DEFAULT\s+DATABASE|ALIAS(ES)?|SERVERS?|TRANSACTIONS?|SETTINGS?|SUPPORTED\s+PRIVILEGES))\b",
    re.IGNORECASE)
_STRINGS_COMMENTS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)
_BAD_PLAN_OPS = {"LoadCSV": "LOAD CSV reads files or URLs",
                 "TransactionForeach": "CALL { ... } IN TRANSACTIONS commits on its own",
                 "TransactionApply": "CALL { ... } IN TRANSACTIONS commits on its own",
                 "AdministrationCommand": "administration commands are not allowed"}
_QUERY_TYPES = {"rw": "it writes to the database", "w": "it writes to the database",
                "s": "it changes the schema or is an administration command"}


def _strip(cypher: str) -> str:
    """The query with string literals, quoted names and comments blanked out."""
    return _STRINGS_COMMENTS.sub(lambda m: "''" if m.group(0)[0] in "'\"" else " ", cypher)


def text_checks(cypher: str) -> None:
    if not cypher or not cypher.strip():
        raise QueryRefused("refused: the query is empty")
    bare = _strip(cypher)
    if re.match(r"^\s*(EXPLAIN|PROFILE)\b", bare, re.IGNORECASE):
        raise QueryRefused("refused: leave out EXPLAIN/PROFILE; the query is planned and checked for you")
    if re.search(r"(^|[\s;}])USE\s+[A-Za-z_`]", bare, re.IGNORECASE):
        raise QueryRefused("refused: USE clauses (switching database, e.g. to `system`) are not allowed")
    if _ADMIN.match(bare):
        raise QueryRefused("refused: administration and schema commands (users, roles, privileges, databases, "
                           "indexes, constraints, settings, transactions) are not allowed; queries are read-only")
    if re.search(r"\bLOAD\s+CSV\b", bare, re.IGNORECASE):
        raise QueryRefused("refused: LOAD CSV reads files or URLs; only graph reads are allowed")
    if re.search(r"\bIN\s+(\d+\s+)?(CONCURRENT\s+)?TRANSACTIONS\b", bare, re.IGNORECASE):
        raise QueryRefused("refused: CALL { ... } IN TRANSACTIONS commits on its own; not allowed")
    m = DENIED_FUNCTION_NAMESPACES.search(bare)
    if m:
        raise QueryRefused(f"refused: {m.group(1)}.* runs dynamic Cypher, reads files/URLs, or administers "
                           "the server; not allowed")


def _procedure_names(plan: Any) -> list[str]:
    names: list[str] = []

    def walk(p):
        op = p.get("operatorType", "").split("@")[0]
        if op == "ProcedureCall":
            details = (p.get("args") or {}).get("Details") or ""
            m = re.match(r"\s*([A-Za-z_][\w.]*)\s*\(", details)
            if m:
                names.append(m.group(1))
        for c in p.get("children", []) or []:
            walk(c)

    if plan:
        walk(plan)
    return names


def _operators(plan: Any) -> list[str]:
    out: list[str] = []

    def walk(p):
        out.append(p.get("operatorType", "").split("@")[0])
        for c in p.get("children", []) or []:
            walk(c)

    if plan:
        walk(plan)
    return out


def procedure_refusal(name: str, mode: str | None) -> str | None:
    """Why procedure ``name`` (declared ``mode``) is refused, or None if it may run."""
    for pattern, why in DENIED_PROCEDURES:
        if re.search(pattern, name, re.IGNORECASE):
            return f"refused: procedure {name}: {why}"
    if mode is None:
        return f"refused: unknown procedure {name}"
    if mode.upper() != "READ":
        return f"refused: procedure {name} has mode {mode} (only READ procedures may run)"
    return None


def check_read_only(cypher: str, params: dict[str, Any] | None = None, *, settings: Settings | None = None) -> None:
    """Raise ``QueryRefused`` unless ``cypher`` is a read-only query (see module docstring)."""
    text_checks(cypher)
    try:
        refusal = read(lambda tx: _plan_refusal(tx, cypher, params or {}), settings=settings)
    except Neo4jError as exc:
        raise QueryRefused(f"refused: the server could not plan the query: {exc.message}") from None
    if refusal:
        raise QueryRefused(refusal)


def _plan_refusal(tx, cypher: str, params: dict[str, Any]) -> str | None:
    """Why the plan of ``cypher`` is not read-only, or None; EXPLAIN runs nothing."""
    summary = tx.run("EXPLAIN " + cypher, params).consume()
    qtype = summary.query_type
    if qtype != "r":
        return f"refused: query type {qtype!r}: {_QUERY_TYPES.get(qtype, 'not read-only')}"
    for op in _operators(summary.plan):
        if op in _BAD_PLAN_OPS:
            return f"refused: {_BAD_PLAN_OPS[op]}"
    names = _procedure_names(summary.plan)
    if names:
        modes = {r["name"]: r["mode"] for r in tx.run(
            "SHOW PROCEDURES YIELD name, mode WHERE name IN $names RETURN name, mode", names=names).data()}
        for name in names:
            why = procedure_refusal(name, modes.get(name))
            if why:
                return why
    return None
