"""Where a load's statements run: one transaction, or many batches on parallel sessions.

``AtomicSink`` runs everything inside the caller's managed transaction: a failure
anywhere leaves the database as it was. ``ParallelSink`` commits each batch on
its own and runs ``workers`` batches at once: on two cores the server's commit
work of one batch overlaps the next batch's planning and the client's packing,
which roughly doubles the write rate (measured in bench/), at the price that a
crash leaves the batches committed so far; a rerun completes the load because
loads write by difference.

A ParallelSink's sessions share one bookmark manager, and ``settle()`` (run once the load holds
its locks) adds the bookmark of the newest transaction the leader has committed. In a cluster a
READ session may go to a secondary that lags behind: without the bookmark, a reload right after
another load could read that secondary's older records, find a chunk "unchanged" that is not,
or compute shares without the other load's links. On one server the bookmark is already reached.
"""
from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import FIRST_COMPLETED, FIRST_EXCEPTION, ThreadPoolExecutor, wait
from itertools import islice
from typing import Any, Callable, Iterable, Iterator

from connection import NO_LIMIT, Settings, caught_up, causal, read, write
from loader.graph.records import columns_of


def batches(rows: list, size: int) -> Iterable[list]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


TICK = 10_000


def collect(result, bar=None) -> list:
    """The records of ``result`` as a list, counting them on ``bar`` (a tqdm or None) as they arrive:
    reading every stored link of a year takes tens of seconds at 10^6 links, and a reload's only
    visible work is this reading and comparing."""
    if bar is None:
        return list(result)
    out = []
    for rec in result:
        out.append(rec)
        if len(out) % TICK == 0:
            bar.update(TICK)
    bar.update(len(out) % TICK)
    return out


COLUMN_BATCH = 50_000


def collect_columns(result, schema: tuple[tuple[str, str], ...], bar=None):
    """The records of ``result`` as a pyarrow Table with ``schema`` ((name, kind) in the order the query returns
    them; kind: a pyarrow type name, "dictionary" or "element_id", see ``columns_of``), made 50,000 rows at a
    time: the records of a year's 10^6 stored links as Python objects would take gigabytes, their columns tens of
    megabytes.

    Each record is (a first value, a list of rows of the other values): one record per start node, its links
    listed in it. The driver's cost is mostly per record, so this reads links about three times as fast as one
    record per link (150k links: 1.6-2.0 s against 5.5-6.2 s)."""
    import pyarrow as pa

    parts, firsts, held = [], [], []

    def flush() -> None:
        cols = [firsts, *zip(*held)] if held else [[]] * len(schema)
        arrays, names = [], []
        for values, (name, kind) in zip(cols, schema):
            for n, arr in columns_of(name, kind, values):
                names.append(n)
                arrays.append(arr)
        parts.append(pa.record_batch(arrays, names=names))
        if bar is not None:
            bar.update(len(held))
        firsts.clear()
        held.clear()

    for first, rows in result:
        firsts += [first] * len(rows)
        held += rows
        if len(held) >= COLUMN_BATCH:
            flush()
    flush()
    return pa.Table.from_batches(parts)


class AtomicSink:
    def __init__(self, tx, ahead: "ParallelSink | None" = None):
        self.tx = tx
        self._ahead = ahead

    def read(self, cypher: str, bar=None, **params) -> list:
        return collect(self.tx.run(cypher, **params), bar)

    def read_columns(self, cypher: str, schema, bar=None, **params):
        return collect_columns(self.tx.run(cypher, **params), schema, bar)

    def read_each(self, cypher: str, params: Iterable[dict]) -> Iterator[list]:
        """``read`` once per parameter map, in order. One transaction runs one query at a time; with ``ahead``
        (a ParallelSink on the same database) the queries run ahead on its sessions instead. The writer asks
        this only for chunk digests while it plans, when the transaction has written nothing but its lock
        nodes: other sessions see the same committed records the transaction would."""
        if self._ahead is not None:
            yield from self._ahead.read_each(cypher, params)
            return
        for p in params:
            yield self.read(cypher, **p)

    def write(self, cypher: str, chunks: Iterable[list], on_batch: Callable[[list, Any], None], **params) -> None:
        for chunk in chunks:
            on_batch(chunk, self.tx.run(cypher, rows=chunk, **params).single())


class BatchFailed(RuntimeError):
    """A batch failed after others were committed: the database holds a partial load."""


class ParallelSink:
    def __init__(self, settings: Settings, workers: int = 2, guard: Callable[[], None] = lambda: None):
        self.settings = settings
        self.workers = max(1, workers)
        self.committed = 0
        self._lock = threading.Lock()
        self._guard = guard   # raises when the load must not write on (its lock holder is gone)
        self.bookmarks = causal()

    def settle(self) -> None:
        """From now on every read of this sink sees what was committed before this call (the lock holder's
        predecessor included): a transaction routed to the leader returns the bookmark of its newest commit."""
        caught_up(self.settings, self.bookmarks)

    def read(self, cypher: str, bar=None, **params) -> list:
        # a load reads every stored link of the years it touches: no time limit. Records as they come
        # (like AtomicSink's): Record.data() would copy every nested property map, seconds for 10^5 links
        return read(lambda tx: collect(tx.run(cypher, params), bar), timeout_s=NO_LIMIT, settings=self.settings,
                    bookmarks=self.bookmarks)

    def read_columns(self, cypher: str, schema, bar=None, **params):
        """``collect_columns`` of the query's records (no time limit, like ``read``)."""
        return read(lambda tx: collect_columns(tx.run(cypher, params), schema, bar), timeout_s=NO_LIMIT,
                    settings=self.settings, bookmarks=self.bookmarks)

    def read_each(self, cypher: str, params: Iterable[dict]) -> Iterator[list]:
        """``read`` once per parameter map, results in order, with up to ``2 * workers`` queries running ahead
        on their own sessions: a reload's chunk digests keep the server's cores busy while the loader computes
        its own digests (a consumer that stops early waits only for those already sent)."""
        ahead = 2 * self.workers
        todo = iter(params)
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            pending: deque = deque(pool.submit(self.read, cypher, **p) for p in islice(todo, ahead))
            while pending:
                done = pending.popleft().result()
                for p in islice(todo, 1):
                    pending.append(pool.submit(self.read, cypher, **p))
                yield done

    def _one(self, cypher: str, chunk: list, on_batch, params: dict) -> None:
        self._guard()
        # the write door retries transient failures (deadlocks between batches touching one hub)
        rec = write(lambda tx: tx.run(cypher, rows=chunk, **params).single(), settings=self.settings,
                    bookmarks=self.bookmarks)
        with self._lock:
            self.committed += 1
            on_batch(chunk, rec)

    def write(self, cypher: str, chunks: Iterable[list], on_batch: Callable[[list, Any], None], **params) -> None:
        """Send the batches as ``chunks`` yields them, ``workers`` at a time and as many queued: a generator
        can build each batch just before it is needed instead of all of them at once."""
        failed = None
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            running: set = set()
            for chunk in chunks:
                running.add(pool.submit(self._one, cypher, chunk, on_batch, params))
                if len(running) >= 2 * self.workers:
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    failed = next((f for f in done if f.exception() is not None), None)
                    if failed is not None:
                        break
            if failed is None and running:
                done, running = wait(running, return_when=FIRST_EXCEPTION)
                failed = next((f for f in done if f.exception() is not None), None)
            for f in running:
                f.cancel()
        if failed is not None:
            raise BatchFailed(f"{failed.exception()}; {self.committed} batches of this load were committed "
                              "before it stopped: run the same load again to complete it") from failed.exception()
