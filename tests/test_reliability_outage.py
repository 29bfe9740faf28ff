"""Outage: Neo4j stopped and restarted while the explorer is open.

The explorer (``explorer/app.py``, run by streamlit's AppTest in this process) points at the
spare server (``tests.support.reliability_db``), which the test stops and starts again. While the
server is down every page must say so in plain words (no traceback) and offer Retry; once
it is back, the same open session shows data again without any reset.
"""
from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.support import reliability_mrio as tiny
from tests.conftest import OUTPUT_DIR, REPO
from tests.support.reliability_db import spare_server, spare_settings, wipe_all

pytestmark = [pytest.mark.slow, pytest.mark.long]

APP = str(REPO / "explorer" / "app.py")
PAGES = ["overview", "network", "spillovers", "centrality", "reports", "trade"]


def texts(at: AppTest) -> str:
    parts = [e.value for e in at.error] + [i.value for i in at.info] + [w.value for w in at.warning] \
        + [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.fixture(scope="module")
def explorer_on_spare():
    server = spare_server()
    settings = spare_settings()
    from connection import get_driver
    from schema.apply import apply

    apply(settings)
    drv = get_driver(settings)
    wipe_all(drv)
    with tempfile.TemporaryDirectory() as tmp:
        tiny.read_and_load(tiny.TinyMrio().write(Path(tmp) / "mrio"), settings)
    nodes = drv.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    mp = pytest.MonkeyPatch()
    mp.setenv("NEO4J_URI", settings.uri)
    yield server, nodes
    mp.undo()


def test_explorer_says_the_database_is_down_and_recovers_by_itself(explorer_on_spare):
    server, nodes = explorer_on_spare
    figures = {}
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert metric(at, "Nodes") == f"{nodes:,}"
    assert "not reachable" not in texts(at)

    server.stop()
    t0 = time.perf_counter()
    at.run()
    figures["page run while down (s)"] = round(time.perf_counter() - t0, 2)
    assert not at.exception, [e.message for e in at.exception]
    assert any("Neo4j is not reachable" in e.value for e in at.error), texts(at)
    assert at.button(key="retry-connection").label == "Retry"
    # every page says so, none shows a traceback
    for page in PAGES:
        at.switch_page(f"page_scripts/{page}.py")
        at.run()
        assert not at.exception, (page, [e.message for e in at.exception])
        assert any("Neo4j is not reachable" in e.value for e in at.error), (page, texts(at))
    at.switch_page("page_scripts/overview.py")
    at.run()
    # pressing Retry while it is still down: the same message, no error
    at.button(key="retry-connection").click().run()
    assert not at.exception
    assert any("Neo4j is not reachable" in e.value for e in at.error)

    t0 = time.perf_counter()
    server.start()
    figures["server restart (s)"] = round(time.perf_counter() - t0, 1)
    # the same session, no reset of any cache or driver: Retry, then data again
    t0 = time.perf_counter()
    at.button(key="retry-connection").click().run()
    figures["first page run after restart (s)"] = round(time.perf_counter() - t0, 2)
    assert not at.exception, [e.message for e in at.exception]
    assert not any("not reachable" in e.value for e in at.error), texts(at)
    assert metric(at, "Nodes") == f"{nodes:,}"
    for page in PAGES[1:]:
        at.switch_page(f"page_scripts/{page}.py")
        at.run()
        assert not at.exception, (page, [e.message for e in at.exception])
        assert not any("not reachable" in e.value for e in at.error), (page, texts(at))
    (OUTPUT_DIR / "reliability-outage.json").write_text(json.dumps(figures, indent=2))


def test_killed_server_mid_session_is_reported_and_recovered(explorer_on_spare):
    """SIGKILL instead of a clean stop: connections die without a goodbye."""
    server, nodes = explorer_on_spare
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert metric(at, "Nodes") == f"{nodes:,}"
    server.kill()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Neo4j is not reachable" in e.value for e in at.error), texts(at)
    server.start()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert metric(at, "Nodes") == f"{nodes:,}"
