"""Two starts of the local server on one data directory at once launch one server, and its pid file stays.

The JVM is replaced by a small Python process that answers the Bolt handshake after a delay (so the
second start arrives while the first server is still coming up); everything else is neo4j_local's own
start, wait and stop. Before the start lock, the second start launched another server, which failed
on the port, and removed the pid file as it gave up: the first server then ran unseen by status/stop.
"""
from __future__ import annotations

import subprocess
import sys
import threading

from neo4j_local import server as local
from neo4j_local.settings import LocalSettings
from tests.conftest import TEST_PASSWORD
from tests.support.streamlit_app import free_port

FAKE_BOLT = r"""
import socket, sys, time
time.sleep(1.5)                      # a JVM takes a while before Bolt answers
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(3)                      # the port is taken: as a second server would fail
s.listen()
while True:
    c, _ = s.accept()
    c.recv(20)
    c.sendall(bytes.fromhex("00000405"))
    c.close()
"""


def test_concurrent_starts_launch_one_server_and_keep_its_pid_file(tmp_path, monkeypatch):
    port = free_port()
    settings = LocalSettings.from_env(bolt_port=port, data_dir=tmp_path / "srv", heap="256m", password=TEST_PASSWORD)
    (settings.data_dir / "data" / "databases").mkdir(parents=True)   # not fresh: no initial-password step
    launched: list[subprocess.Popen] = []

    def launch(self, java, lib, plugins, conf_dir):
        proc = subprocess.Popen([sys.executable, "-c", FAKE_BOLT, str(port)])
        launched.append(proc)
        return proc

    monkeypatch.setattr(local.LocalNeo4j, "_launch", launch)
    monkeypatch.setattr(local, "ensure_jars", lambda jar_dir, log: (tmp_path, tmp_path))
    monkeypatch.setattr(local, "require_tool", lambda name, hint: "java")
    results, errors = [], []

    def start():
        try:
            results.append(local.LocalNeo4j(settings, log=lambda *_: None).start())
        except Exception as exc:   # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        assert results == [settings.uri, settings.uri]
        assert len(launched) == 1, f"{len(launched)} servers launched for one data directory"
        srv = local.LocalNeo4j(settings, log=lambda *_: None)
        assert srv.pid() == launched[0].pid and srv.running()
        assert srv.stop() is True
        assert launched[0].wait(10) is not None and not srv.pid_file.exists()
    finally:
        for p in launched:
            p.kill()
            p.wait()
