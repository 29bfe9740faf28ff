"""Saved Cypher reports with a version history, stored in Neo4j.

Graph shape: ``(:Report {key: name, name, title, description, version: latest version,
created_at, updated_at, source: 'user'})-[:HAS_VERSION]->(:ReportVersion {key: 'NAME|VERSION',
name, report, version, title, description, cypher, params_json, saved_at, source: 'user'})``.
Like Datasette's canned queries, a report is data (name, title, Cypher, named parameters
with default values, description). Saving checks the Cypher with ``queries.guard`` (it must
be read-only), refuses the name of a built-in query module (a name means one query), and adds
a new version unless the text, parameters, title and description equal the latest version's
(then the latest version number is returned). Reports are described and run through
``queries.catalogue`` (typed Params from the saved defaults and the Cypher's ``$names``;
``queries.runner.run_cypher``: guard again, READ transaction, time limit, row cap);
``run_report`` is that door for a name known to be a report.

Dashboards and saved network drawings ("scenes") are kept the same way, as named documents
with a version history: ``(:Dashboard|Scene {key: name, version, title, ...})-[:HAS_VERSION]->
(:DashboardVersion|SceneVersion {key: 'NAME|N', content_json, title, description, saved_at})``.
``save_document(kind, name, title, content, description)`` adds a version unless the latest
one is identical; ``get_document`` / ``list_documents`` read them. What a dashboard may hold
(reports that exist, read-only Cypher checked by the guard, parameters) is checked by
``queries.catalogue.save_dashboard`` before it comes here; a scene's state is checked by the
explorer when it is opened, exactly like a link.
"""
from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd

from connection import Settings, read, write
from queries import guard, modules
from queries.errors import ParameterError, QueryRefused
from schema.model import check_label, check_rel_type

REPORT, VERSION = check_label("Report"), check_label("ReportVersion")
HAS_VERSION = check_rel_type("HAS_VERSION")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")

_SAVE = f"""
MERGE (r:{REPORT} {{key: $name}})
  ON CREATE SET r.name = $name, r.version = 0, r.created_at = datetime(), r.source = 'user'
SET r._lock = true
WITH r
OPTIONAL MATCH (r)-[:{HAS_VERSION}]->(last:{VERSION} {{version: r.version}})
WITH r, last,
     last IS NOT NULL AND last.cypher = $cypher AND last.params_json = $params_json
     AND last.title = $title AND last.description = $description AS unchanged
CALL (r, unchanged) {{
  WITH r, unchanged WHERE NOT unchanged
  SET r.version = r.version + 1, r.title = $title, r.description = $description, r.updated_at = datetime()
  CREATE (r)-[:{HAS_VERSION}]->(:{VERSION} {{key: $name + '|' + toString(r.version), name: $name + ' v' +
          toString(r.version), report: $name, version: r.version, title: $title, description: $description,
          cypher: $cypher, params_json: $params_json, saved_at: datetime(), source: 'user'}})
}}
REMOVE r._lock
RETURN r.version AS version
"""


def _check_name(name: str, what: str = "report") -> str:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ParameterError(f"{what} name {name!r}: use 1-100 letters, digits, '.', '_' or '-', "
                             "starting with a letter or digit")
    return name


def _check_free(name: str) -> None:
    """A report may not take a module's name: ``python -m queries run NAME`` must mean one query."""
    if name in modules.MODULES:
        raise ParameterError(f"report name {name!r} is the name of the built-in query module "
                             f"{name!r} ({modules.get(name).title}); choose another name")


def _params_json(params: dict[str, Any] | None) -> str:
    params = dict(params or {})
    for k in params:
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", str(k)):
            raise ParameterError(f"parameter name {k!r} is not a valid Cypher parameter name")
    try:
        return json.dumps(params, sort_keys=True)
    except TypeError as exc:
        raise ParameterError(f"report parameters must be JSON values: {exc}") from None


def save_report(name: str, title: str, cypher: str, params: dict[str, Any] | None = None,
                description: str = "", *, settings: Settings | None = None) -> int:
    """Save a new version of report ``name`` (read-only Cypher only); return its version number."""
    _check_name(name)
    _check_free(name)
    settings = settings or Settings.from_env()
    pj = _params_json(params)
    guard.check_read_only(cypher, json.loads(pj), settings=settings)
    rows = write(_SAVE, {"name": name, "title": title or name, "description": description or "",
                         "cypher": cypher, "params_json": pj}, settings=settings)
    return int(rows[0]["version"])


def _iso(v: Any) -> Any:
    return v.iso_format() if hasattr(v, "iso_format") else v


def list_reports(*, settings: Settings | None = None) -> list[dict[str, Any]]:
    rows = read(f"MATCH (r:{REPORT}) OPTIONAL MATCH (r)-[:{HAS_VERSION}]->(v:{VERSION}) "
                      "WITH r, count(v) AS versions RETURN r.key AS name, r.title AS title, "
                      "r.description AS description, r.version AS version, versions, r.updated_at AS updated_at "
                      "ORDER BY name", settings=settings)
    for r in rows:
        r["updated_at"] = _iso(r["updated_at"])
    return rows


# one version (default: the latest) of each report, with the number and time of every version
_VERSIONS = f"""
MATCH (r:{REPORT})-[:{HAS_VERSION}]->(v:{VERSION})
WHERE $name IS NULL OR r.key = $name
WITH r, v ORDER BY v.version
WITH r, collect(v) AS vs
RETURN r.key AS name, [x IN vs WHERE x.version = coalesce($version, r.version)][0] AS v,
       [x IN vs | {{version: x.version, saved_at: x.saved_at}}] AS versions
ORDER BY name
"""


def _described(row: dict[str, Any]) -> dict[str, Any]:
    v = row["v"]
    return {"name": row["name"], "version": v["version"], "title": v["title"], "description": v["description"],
            "cypher": v["cypher"], "params": json.loads(v["params_json"] or "{}"), "saved_at": _iso(v["saved_at"]),
            "versions": [{"version": x["version"], "saved_at": _iso(x["saved_at"])} for x in row["versions"]]}


def latest_versions(*, settings: Settings | None = None) -> list[dict[str, Any]]:
    """Every report's latest version, as ``get_report`` gives it, in one read."""
    return [_described(r) for r in read(_VERSIONS, {"name": None, "version": None}, settings=settings)]


def get_report(name: str, version: int | None = None, *, settings: Settings | None = None) -> dict[str, Any]:
    """One version (default: the latest) of a report, with ``versions``: every version's number and time."""
    _check_name(name)
    rows = read(_VERSIONS, {"name": name, "version": version}, settings=settings)
    if not rows:
        raise QueryRefused(f"no saved report {name!r}")
    if rows[0]["v"] is None:
        saved = [x["version"] for x in rows[0]["versions"]]
        raise ParameterError(f"report {name!r} has no version {version}; saved versions: {saved}")
    return _described(rows[0])


def run_report(name: str, params: dict[str, Any] | None = None, *, version: int | None = None,
               timeout_s: float = 30.0, row_cap: int = 10000, settings: Settings | None = None) -> pd.DataFrame:
    """Run a saved report (given parameters override the saved defaults) through the catalogue."""
    from queries import catalogue  # the catalogue builds on this module

    return catalogue.run_entry(catalogue.report_entry(name, version, settings=settings), params,
                               timeout_s=timeout_s, row_cap=row_cap, settings=settings)


# --- named, versioned documents: dashboards and saved network drawings ("scenes")
DOCUMENT_KINDS = {"dashboard": (check_label("Dashboard"), check_label("DashboardVersion")),
                  "scene": (check_label("Scene"), check_label("SceneVersion"))}

_SAVE_DOCUMENT = """
MERGE (d:{label} {{key: $name}})
  ON CREATE SET d.name = $name, d.version = 0, d.created_at = datetime(), d.source = 'user'
SET d._lock = true
WITH d
OPTIONAL MATCH (d)-[:{rel}]->(last:{vlabel} {{version: d.version}})
WITH d, last IS NOT NULL AND last.content_json = $content_json AND last.title = $title
     AND last.description = $description AS unchanged
CALL (d, unchanged) {{
  WITH d, unchanged WHERE NOT unchanged
  SET d.version = d.version + 1, d.title = $title, d.description = $description, d.updated_at = datetime()
  CREATE (d)-[:{rel}]->(:{vlabel} {{key: $name + '|' + toString(d.version), name: $name + ' v' + toString(d.version),
          document: $name, version: d.version, title: $title, description: $description,
          content_json: $content_json, saved_at: datetime(), source: 'user'}})
}}
REMOVE d._lock
RETURN d.version AS version
"""

_DOCUMENT_VERSIONS = """
MATCH (d:{label})-[:{rel}]->(v:{vlabel})
WHERE $name IS NULL OR d.key = $name
WITH d, v ORDER BY v.version
WITH d, collect(v) AS vs
RETURN d.key AS name, [x IN vs WHERE x.version = coalesce($version, d.version)][0] AS v,
       [x IN vs | {{version: x.version, saved_at: x.saved_at}}] AS versions
ORDER BY name
"""


def _kind(kind: str) -> tuple[str, str]:
    if kind not in DOCUMENT_KINDS:
        raise ParameterError(f"document kind {kind!r}; allowed: {', '.join(DOCUMENT_KINDS)}")
    return DOCUMENT_KINDS[kind]


def save_document(kind: str, name: str, title: str, content: dict[str, Any], description: str = "", *,
                  settings: Settings | None = None) -> int:
    """Save a new version of the dashboard or scene ``name`` (content: a JSON map); return its version."""
    label, vlabel = _kind(kind)
    _check_name(name, kind)
    try:
        content_json = json.dumps(content, sort_keys=True, ensure_ascii=False)
    except TypeError as exc:
        raise ParameterError(f"{kind} {name!r}: its content must be JSON values: {exc}") from None
    rows = write(_SAVE_DOCUMENT.format(label=label, vlabel=vlabel, rel=HAS_VERSION),
                 {"name": name, "title": title or name, "description": description or "",
                  "content_json": content_json}, settings=settings)
    return int(rows[0]["version"])


def _document(row: dict[str, Any]) -> dict[str, Any]:
    v = row["v"]
    return {"name": row["name"], "version": v["version"], "title": v["title"], "description": v["description"],
            "content": json.loads(v["content_json"]), "saved_at": _iso(v["saved_at"]),
            "versions": [{"version": x["version"], "saved_at": _iso(x["saved_at"])} for x in row["versions"]]}


def list_documents(kind: str, *, settings: Settings | None = None) -> list[dict[str, Any]]:
    """Every dashboard (or scene) in its latest version, by name."""
    label, vlabel = _kind(kind)
    rows = read(_DOCUMENT_VERSIONS.format(label=label, vlabel=vlabel, rel=HAS_VERSION), {"name": None, "version": None},
                settings=settings)
    return [_document(r) for r in rows]


def get_document(kind: str, name: str, version: int | None = None, *,
                 settings: Settings | None = None) -> dict[str, Any]:
    """One version (default: the latest) of a dashboard or scene, with every version's number and time."""
    label, vlabel = _kind(kind)
    _check_name(name, kind)
    rows = read(_DOCUMENT_VERSIONS.format(label=label, vlabel=vlabel, rel=HAS_VERSION),
                {"name": name, "version": version}, settings=settings)
    if not rows:
        raise QueryRefused(f"no saved {kind} {name!r}")
    if rows[0]["v"] is None:
        saved = [x["version"] for x in rows[0]["versions"]]
        raise ParameterError(f"{kind} {name!r} has no version {version}; saved versions: {saved}")
    return _document(rows[0])
