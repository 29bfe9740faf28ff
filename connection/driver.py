"""One driver per process, and the two doors through which the product talks to Neo4j.

``read`` runs in a managed READ transaction with a server-side time limit; ``write`` runs
in a managed write transaction, which the driver retries on transient errors (a leader
switch in a cluster, a deadlock between parallel batches). ``analytics`` is ``read`` on the
analytics connection (``Settings.analytics_from_env``: NEO4J_GDS_URI, by default the main
server), the door for graph algorithms. Each takes either one Cypher
statement (returning its records as dicts) or a function of the transaction, for work
that needs several statements in one transaction. Nothing else in the product opens a
session or a transaction.

``bookmarks``: sessions given one ``causal()`` manager see every transaction committed before
the last one they ran (a cluster's secondary waits until it has caught up). A load reads on
many sessions; it shares one manager among them (``loader.graph.sinks``). Elsewhere sessions
carry none: a bookmark names a transaction of one store, and a bulk import replaces the store.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, TypeVar, Union

from neo4j import (READ_ACCESS, WRITE_ACCESS, Driver, GraphDatabase, ManagedTransaction,
                   NotificationMinimumSeverity, Record, unit_of_work)
from neo4j.api import BookmarkManager

from connection.config import Settings

T = TypeVar("T")
Work = Union[str, Callable[[ManagedTransaction], T]]

_lock = threading.Lock()
_drivers: dict[Settings, Driver] = {}


def get_driver(settings: Settings | None = None) -> Driver:
    settings = settings or Settings.from_env()
    with _lock:
        drv = _drivers.get(settings)
        if drv is None:
            drv = GraphDatabase.driver(
                settings.uri,
                auth=(settings.user, settings.password),
                max_connection_pool_size=50,
                connection_acquisition_timeout=30.0,
                connection_timeout=5.0,
                user_agent="gvn-explorer",
                # nothing in the product reads server notifications; a load into an empty database
                # would otherwise bury its own output under "does not exist" warnings
                notifications_min_severity=NotificationMinimumSeverity.OFF,
            )
            _drivers[settings] = drv
        return drv


def forget_driver(settings: Settings) -> None:
    """Close and drop the driver of ``settings``: its pooled connections and the bookmarks that
    ``execute_query`` keeps belong to a database a bulk import has just replaced (the new store's
    transaction ids start again, and a stale bookmark makes every later query wait, then fail)."""
    with _lock:
        drv = _drivers.pop(settings, None)
    if drv is not None:
        drv.close()


def close_driver() -> None:
    with _lock:
        for drv in _drivers.values():
            drv.close()
        _drivers.clear()


# Values ``Record.data()`` returns unchanged. data() passes every value through the driver's generic
# transformer (isinstance against typing ABCs for each one): about 5 us a value, 0.13 s for one exporter's
# 1,110 rows of 21 numbers, most of what that query cost. Rows of such values are built directly.
_PLAIN = frozenset((str, int, float, bool, type(None)))


def _plain_copy(value: Any) -> Any:
    """``value`` as data() returns it when it is plain or a list (of lists) of plain values; else _OTHER."""
    if type(value) in _PLAIN:
        return value
    if type(value) is list:
        out = []
        for x in value:
            if type(x) not in _PLAIN:
                x = _plain_copy(x)
                if x is _OTHER:
                    return _OTHER
            out.append(x)
        return out                       # data() returns new lists of the same items
    return _OTHER


_OTHER = object()


def record_dict(record: Record) -> dict[str, Any]:
    """``record.data()``, exactly (same keys, values, nesting), without its per-value cost for plain values
    and lists of them; nodes, relationships, paths, maps, temporal values (and values the driver could not
    hydrate, which data() reports) still go through ``data()``."""
    out = dict(zip(record.keys(), tuple.__getitem__(record, slice(None))))   # the raw values, no checks
    for k, v in out.items():
        if type(v) not in _PLAIN:
            v = _plain_copy(v)
            if v is _OTHER:
                return record.data()
            out[k] = v
    return out


def _as_function(work: Work, params: dict[str, Any] | None) -> Callable[[ManagedTransaction], Any]:
    if callable(work):
        if params:
            raise TypeError("params go with a Cypher string; a function runs its own statements")
        return work
    return lambda tx: [record_dict(r) for r in tx.run(work, params or {})]


def causal() -> BookmarkManager:
    """A bookmark manager for sessions that must see each other's commits (``read``/``write`` ``bookmarks=``)."""
    return GraphDatabase.bookmark_manager()


def caught_up(settings: Settings | None = None, bookmarks: BookmarkManager | None = None) -> BookmarkManager:
    """``bookmarks`` (a new manager if None) holding the bookmark of the newest commit on the leader: a READ session
    given it sees everything committed before this call, even on a secondary that lags behind (it waits). A
    transaction routed to the leader returns that bookmark even when it writes nothing."""
    bookmarks = bookmarks or causal()
    write(lambda tx: tx.run("RETURN 1").consume(), settings=settings, bookmarks=bookmarks)
    return bookmarks


# a transaction timeout of 0 asks the server for none: a driver's timeout overrides the server's
# ``db.transaction.timeout`` (Neo4j 5.3 and later, also when longer). For work whose length the data sets,
# a load: its lock holder and atomic transaction live as long as the load, its reads scan whole years
NO_LIMIT = 0


def read(work: Work, params: dict[str, Any] | None = None, *, timeout_s: float | None = 30.0,
         settings: Settings | None = None, bookmarks: BookmarkManager | None = None) -> Any:
    """The one way to read: ``work`` in a managed READ transaction stopped by the server after
    ``timeout_s`` seconds (None: the server's default ``db.transaction.timeout``; ``NO_LIMIT``: none at all).
    A string returns its rows as dicts."""
    settings = settings or Settings.from_env()
    fn = unit_of_work(timeout=timeout_s)(_as_function(work, params))
    with get_driver(settings).session(database=settings.database, default_access_mode=READ_ACCESS,
                                      bookmark_manager=bookmarks) as session:
        return session.execute_read(fn)


def write(work: Work, params: dict[str, Any] | None = None, *, timeout_s: float | None = None,
          settings: Settings | None = None, bookmarks: BookmarkManager | None = None) -> Any:
    """The one way to write: ``work`` in a managed write transaction, retried on transient errors,
    so ``work`` must be safe to run again from the start. ``timeout_s`` as for ``read``. A string returns its
    rows as dicts."""
    settings = settings or Settings.from_env()
    fn = unit_of_work(timeout=timeout_s)(_as_function(work, params))
    with get_driver(settings).session(database=settings.database, default_access_mode=WRITE_ACCESS,
                                      bookmark_manager=bookmarks) as session:
        return session.execute_write(fn)


def analytics(work: Work, params: dict[str, Any] | None = None, *, timeout_s: float | None = 30.0,
              settings: Settings | None = None) -> Any:
    """The one way to run graph algorithms: ``read`` on the analytics connection (NEO4J_GDS_URI; the
    main server when unset), so GDS projections use that server's memory and cores."""
    return read(work, params, timeout_s=timeout_s, settings=settings or Settings.analytics_from_env())


def check_connection(settings: Settings | None = None) -> None:
    """Raise at once when the server does not answer (a query would be retried for 30 s)."""
    get_driver(settings or Settings.from_env()).verify_connectivity()
