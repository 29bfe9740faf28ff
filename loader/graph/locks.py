"""Locks the database holds for a load, so two loads of one dataset or one year of firm
supply links run one after the other.

A lock is a ``LoadLock`` node keyed by the resource (``dataset:<key>``,
``firm-supplies:<year>``; see ``loader.graph.scope``), MERGEd by the transaction that
holds it and deleted by that same transaction when the load ends, so no lock node
outlives its load. The uniqueness constraint on ``LoadLock.key`` (schema/) makes a
second MERGE of the same key wait until the first transaction ends. Keys are taken in
sorted order in one statement, so two loads cannot deadlock on them.

* atomic loads take the locks first thing in their own transaction;
* batched loads commit many transactions, so a separate *lock holder* transaction, on
  its own session and thread, takes the locks, waits until the load has ended, then
  deletes them and commits.

A crashed process drops its connection; the server rolls its transactions back and the
locks are free. Every wait longer than a second is announced on stderr. The holder runs a
trivial statement every ``HEARTBEAT_S`` seconds: if the server ended its transaction (an administrator's
TERMINATE; it asks for no time limit, so ``db.transaction.timeout`` does not end it), ``check()`` raises and a batched
load stops at its next batch instead of writing on without its locks.
"""
from __future__ import annotations

import sys
import threading
from contextlib import contextmanager

from connection import NO_LIMIT, Settings, write
from schema.model import check_label

LOCK_LABEL = check_label("LoadLock")
TAKE = f"UNWIND $keys AS k MERGE (l:{LOCK_LABEL} {{key: k}}) SET l.held = true RETURN count(*) AS n"
DROP = f"UNWIND $keys AS k MATCH (l:{LOCK_LABEL} {{key: k}}) DELETE l"
NOTICE_AFTER_S = 1.0
HEARTBEAT_S = 10.0
HEARTBEAT = f"MATCH (l:{LOCK_LABEL}) WHERE l.key IN $keys RETURN count(l) AS n"


class LockLost(RuntimeError):
    """The lock holder's transaction ended before the load did."""


@contextmanager
def _notice(keys: list[str], delay: float = NOTICE_AFTER_S):
    """Say on stderr that the load waits, if taking the locks takes longer than ``delay``."""
    timer = threading.Timer(delay, lambda: print(f"waiting for another load of {', '.join(keys)} to finish ...",
                                                 file=sys.stderr, flush=True))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def take(tx, keys: list[str]) -> None:
    """Lock ``keys`` in transaction ``tx`` (waits while another transaction holds one of them)."""
    if keys:
        with _notice(keys):
            tx.run(TAKE, keys=sorted(keys)).consume()


def drop(tx, keys: list[str]) -> None:
    if keys:
        tx.run(DROP, keys=sorted(keys)).consume()


class LockHolder:
    """``with LockHolder(settings, keys):`` the body runs while a transaction of its own holds ``keys``."""

    def __init__(self, settings: Settings, keys: list[str]):
        self.settings = settings
        self.keys = sorted(keys)
        self._acquired = threading.Event()
        self._release = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="load-lock-holder", daemon=True)

    def _hold(self, tx) -> None:
        if self._acquired.is_set():
            # the driver is retrying after a failure: the load ran (for a while) without its lock
            raise LockLost("the lock holder's transaction failed after the load had started")
        take(tx, self.keys)
        self._acquired.set()
        while not self._release.wait(HEARTBEAT_S):
            if tx.run(HEARTBEAT, keys=self.keys).single()["n"] != len(self.keys):
                raise LockLost("the lock holder's transaction no longer sees its lock nodes")
        drop(tx, self.keys)

    def _run(self) -> None:
        try:
            # as long as the load: a server's default timeout would end a long load's locks midway
            write(self._hold, settings=self.settings, timeout_s=NO_LIMIT)
        except BaseException as e:  # noqa: BLE001 - reported to the load's thread
            self._error = e
        finally:
            self._acquired.set()   # never leave the load's thread waiting

    def check(self) -> None:
        """Raise if the holder's transaction has ended while the load still runs."""
        if self._error is not None:
            raise LockLost(f"the lock on {', '.join(self.keys)} ended before the load did ({self._error}); "
                           "run the same load again") from self._error

    def __enter__(self) -> "LockHolder":
        if not self.keys:
            return self
        self._thread.start()
        self._acquired.wait()
        if self._error is not None:
            raise self._error
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.keys:
            return
        self._release.set()
        self._thread.join()
        if self._error is not None and exc is None:
            raise LockLost(f"the lock on {', '.join(self.keys)} ended before the load did ({self._error}); "
                           "its batches are committed, but another load may have run at the same time: "
                           "run the same load again") from self._error
