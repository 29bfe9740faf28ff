"""Run query modules and user Cypher: READ transaction, time limit, row cap, DataFrame out.

``run_module(name, params)`` validates and coerces the parameters against the module's
declared types and ranges, then runs the module's Cypher (or its Python steps, each a
parameterized Cypher statement) inside ONE managed READ transaction
(``session.execute_read``) whose server-side timeout is ``timeout_s`` seconds; at most
``row_cap`` rows come back (``df.attrs['truncated']`` says whether more existed). Modules that
project a GDS graph run on the analytics connection (``connection.analytics``: NEO4J_GDS_URI,
by default the main server).

Every module result carries ``df.attrs["provenance"]`` (the datasets read with key, name and
synthetic flag, the years, the units of the money columns, notes on how defaults were chosen;
``queries.provenance``) and ``df.attrs["excluded"]`` (the (source, year) pairs a batched load is
still writing, skipped, each with the reason). Steps see the time limit as ``tx.timeout_s``, so a
module can refuse work that would not fit in it before starting.

``run_cypher(cypher, params)`` first passes user Cypher through ``queries.guard``
(EXPLAIN must say read-only, no writing procedures, no LOAD CSV, no admin commands) and
then runs it the same way.

Errors: ``ParameterError`` (bad parameters), ``QueryRefused`` (not read-only, or the
server refused a write in READ mode), ``QueryTimeout`` (ran past ``timeout_s``).
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import Future, TimeoutError as FutureTimeout
from typing import Any

import pandas as pd
from neo4j.exceptions import Neo4jError

from connection import Settings, read
from connection.driver import record_dict
from queries import guard, modules
from queries.errors import ParameterError, QueryError, QueryRefused, QueryTimeout
from queries.provenance import BASES, Provenance, loading_marks, resolve

_TIMEOUT_CODES = ("TransactionTimedOut", "TransactionTimedOutClientConfiguration", "Terminated")


class ReadTx:
    """What a module's Python steps see: ``run(cypher, params) -> list[dict]`` inside one READ tx."""

    def __init__(self, tx, row_cap: int, timeout_s: float = 30.0):
        self._tx = tx
        self.row_cap = row_cap
        self.timeout_s = timeout_s
        self.truncated = False
        self.cleanup: list[tuple[str, dict[str, Any]]] = []
        self.provenance = Provenance()

    def on_exit(self, cypher: str, params: dict[str, Any]) -> None:
        """Run ``cypher`` in a fresh READ transaction after this one ends, even if it failed
        (used to drop a module's temporary GDS graph)."""
        self.cleanup.append((cypher, params))

    def run(self, cypher: str, params: dict[str, Any] | None = None, *, cap: int | None = None) -> list[dict]:
        result = self._tx.run(cypher, params or {})
        rows = []
        limit = cap if cap is not None else None
        for rec in result:
            if limit is not None and len(rows) >= limit:
                self.truncated = True
                break
            rows.append(record_dict(rec))
        return rows


def _translate(exc: Neo4jError, what: str) -> QueryError:
    code = exc.code or ""
    if any(code.endswith(c) for c in _TIMEOUT_CODES):
        return QueryTimeout(f"{what} ran past its time limit and was stopped ({code})")
    if code.endswith("AccessMode") or "read access mode" in (exc.message or "").lower() \
            or code.endswith("Forbidden"):
        return QueryRefused(f"refused by the server in READ mode: {exc.message}")
    if code.startswith("Neo.ClientError.Statement.ParameterMissing"):
        return ParameterError(f"{what}: {exc.message}")
    return QueryError(f"{what} failed: {code}: {exc.message}")


def _frame(rows: list[dict], columns: list[str] | None, truncated: bool, row_cap: int) -> pd.DataFrame:
    if rows:
        df = pd.DataFrame.from_records(rows)
        if columns:
            df = df[[c for c in columns if c in df.columns] + [c for c in df.columns if c not in columns]]
    else:
        df = pd.DataFrame(columns=columns or [])
    df.attrs["truncated"] = truncated
    df.attrs["row_cap"] = row_cap
    return df


def _check_limits(timeout_s: float, row_cap: int) -> None:
    if not (0 < timeout_s <= 3600):
        raise ParameterError(f"timeout_s must be in (0, 3600], got {timeout_s}")
    if not (1 <= row_cap <= 1_000_000):
        raise ParameterError(f"row_cap must be in [1, 1000000], got {row_cap}")


# Neo4j checks for termination between rows, not inside one expression: a runaway
# `reduce` over a huge range() kept running for minutes after its limit
# (docs/reliability.md). The caller stops waiting after the limit plus this grace and
# gets a QueryTimeout; the worker thread and its connection are freed when the server
# finally gives up.
CLIENT_GRACE_S = float(os.environ.get("GVN_CLIENT_GRACE_S", "5"))


def _read(settings: Settings, work, timeout_s: float, what: str):
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(_read_now(settings, work, timeout_s, what))
        except BaseException as exc:  # handed to the caller below
            future.set_exception(exc)

    # a daemon thread, not a pool: an abandoned runaway must not hold up interpreter exit
    threading.Thread(target=run, name="gvn-query", daemon=True).start()
    try:
        return future.result(timeout=timeout_s + CLIENT_GRACE_S)
    except FutureTimeout:
        raise QueryTimeout(f"{what} ran past its time limit of {timeout_s:g} s and did not stop within "
                           f"{CLIENT_GRACE_S:g} s more; the server was told to stop it (a single huge "
                           "expression can keep it busy longer)") from None


def _read_now(settings: Settings, work, timeout_s: float, what: str):
    try:
        return read(work, timeout_s=timeout_s, settings=settings)
    except Neo4jError as exc:
        raise _translate(exc, what) from None


# Each GDS projection copies its graph onto the heap; twenty at once brought a 1 GB
# server down (docs/reliability.md). Later callers queue here instead, per process.
GDS_PARALLEL_RUNS = int(os.environ.get("GVN_GDS_PARALLEL_RUNS", "2"))
_gds_slots = threading.BoundedSemaphore(GDS_PARALLEL_RUNS)


def run_module(name: str, params: dict[str, Any] | None = None, *, timeout_s: float = 30.0,
               row_cap: int = 10000, settings: Settings | None = None) -> pd.DataFrame:
    """Run library module ``name`` with ``params``; see the module docstring."""
    module = modules.get(name)
    if module.uses_gds_projection:
        # graph algorithms run on the analytics connection (NEO4J_GDS_URI; the main server when unset)
        settings = settings or Settings.analytics_from_env()
        with _gds_slots:
            return _run_module(module, params, timeout_s, row_cap, settings)
    return _run_module(module, params, timeout_s, row_cap, settings)


def _run_module(module, params, timeout_s: float, row_cap: int, settings: Settings | None) -> pd.DataFrame:
    name = module.name
    _check_limits(timeout_s, row_cap)
    p = module.coerce_params(params)
    settings = settings or Settings.from_env()
    state: dict[str, Any] = {}

    def work(tx):
        rt = ReadTx(tx, row_cap, timeout_s)
        state.setdefault("cleanup", [])
        rt.cleanup = state["cleanup"]
        rt.provenance = Provenance(marks=loading_marks(rt))
        if module.cypher is not None:
            rows = _run_declared(rt, module, p, row_cap)
        else:
            rows = module.steps(rt, p)
        if len(rows) > row_cap:
            rows, rt.truncated = rows[:row_cap], True
        state["truncated"] = rt.truncated
        state["provenance"] = rt.provenance.finish(rt, {c.name: c.unit for c in module.columns})
        state["excluded"] = rt.provenance.excluded()
        return rows

    try:
        rows = _read(settings, work, timeout_s, f"module {name}")
    finally:
        for cypher, cparams in state.get("cleanup", []):
            try:
                read(cypher, cparams, settings=settings)
            except Neo4jError:
                pass  # best effort: the graph may never have been created
    df = _frame(rows, module.column_names, state.get("truncated", False), row_cap)
    df.attrs["module"] = name
    df.attrs["params"] = p
    df.attrs["provenance"] = state.get("provenance")
    df.attrs["excluded"] = state.get("excluded", [])
    return df


def _run_declared(rt: ReadTx, module, p: dict[str, Any], row_cap: int) -> list[dict]:
    """A one-statement module: its ``extra['basis']`` names what it reads; the scope (the (source, year)
    pairs, chosen by ``queries.provenance.resolve``) and the load-in-progress filters join its parameters."""
    params = dict(p)
    params.update(rt.provenance.skip_params())
    basis = module.extra.get("basis")
    if basis is not None:
        scope = resolve(rt, BASES[basis], source=p.get("source", ""), year=p.get("year"),
                        all_years=p.get("all_years", False))
        if not scope.pairs:
            return []
        params.update(scope.params())
    return rt.run(module.cypher, params, cap=row_cap)


def run_cypher(cypher: str, params: dict[str, Any] | None = None, *, timeout_s: float = 30.0,
               row_cap: int = 10000, settings: Settings | None = None) -> pd.DataFrame:
    """Run user Cypher if (and only if) it is read-only; see ``queries.guard``."""
    _check_limits(timeout_s, row_cap)
    settings = settings or Settings.from_env()
    params = dict(params or {})
    guard.check_read_only(cypher, params, settings=settings)
    state: dict[str, Any] = {}

    def work(tx):
        rt = ReadTx(tx, row_cap)
        rows = rt.run(cypher, params, cap=row_cap)
        state["truncated"] = rt.truncated
        return rows

    rows = _read(settings, work, timeout_s, "query")
    return _frame(rows, None, state.get("truncated", False), row_cap)
