"""A runaway inside one expression: the server ignores its limit, the caller does not wait.

Neo4j checks for termination between rows, so `reduce` over a huge range() runs on
after its time limit. runner._read stops waiting after the limit plus a grace period
and raises QueryTimeout. Runs on the spare server, which is killed afterwards to end
the runaway (it would otherwise keep a core busy for minutes).
"""
from __future__ import annotations

import pytest

from queries import runner
from queries.errors import QueryTimeout
from tests.support.reliability_db import spare_server, spare_settings

pytestmark = pytest.mark.slow

# quadratic string building: 1,000,000 steps took the server well over 6 s here
RUNAWAY = "RETURN size(reduce(s = '', x IN range(1, $n) | s + 'x')) AS n"


def test_caller_gets_a_timeout_while_the_server_runs_on(monkeypatch):
    server = spare_server()
    settings = spare_settings()
    monkeypatch.setattr(runner, "CLIENT_GRACE_S", 2.0)
    try:
        with pytest.raises(QueryTimeout, match="did not stop within"):
            runner.run_cypher(RUNAWAY, {"n": 3_000_000}, timeout_s=1, settings=settings)
        # the product stays usable for everyone else meanwhile
        assert runner.run_cypher("RETURN 1 AS one", timeout_s=10, settings=settings)["one"].tolist() == [1]
    finally:
        server.kill()  # ends the runaway; the spare server restarts on next use
