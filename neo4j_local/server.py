"""Lifecycle of one local Neo4j server: configure, start, wait for Bolt, stop."""
from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from neo4j_local.jars import MissingToolError, ensure_jars, require_tool
from neo4j_local.settings import LocalSettings


class LocalNeo4jError(RuntimeError):
    pass


def render_conf(s: LocalSettings, plugins: Path) -> str:
    d = s.data_dir
    return "\n".join([
        "# Written by neo4j_local on every start; edit LocalSettings instead.",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{s.bolt_port}",
        "server.bolt.tls_level=DISABLED",
        "server.http.enabled=false",
        "server.https.enabled=false",
        f"server.directories.data={d / 'data'}",
        f"server.directories.logs={d / 'logs'}",
        f"server.directories.run={d / 'run'}",
        f"server.directories.import={d / 'import'}",
        f"server.directories.plugins={plugins}",
        "dbms.security.procedures.unrestricted=apoc.*,gds.*",
        "dbms.security.procedures.allowlist=apoc.*,gds.*",
        f"server.memory.heap.initial_size={s.heap}",
        f"server.memory.heap.max_size={s.heap}",
        f"server.memory.pagecache.size={s.pagecache}",
        # the explorer and the tests never need more than a few minutes; a runaway user query is stopped by
        # the server too, not only the client (a load asks for no limit: its data decide how long it runs)
        f"db.transaction.timeout={s.tx_timeout}",
        "dbms.usage_report.enabled=false",
        "",
    ])


def bolt_answers(port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            # Bolt handshake: magic preamble + four proposed versions
            sock.sendall(bytes.fromhex("6060b017") + bytes.fromhex("00000405" + "00000404" + "00000004" + "00000003"))
            return len(sock.recv(4)) == 4
    except OSError:
        return False


def _gone(pid: int) -> bool:
    """True once `pid` has exited. A server started by this very process stays a zombie until
    it is reaped, and a zombie still answers kill(pid, 0): reap it here."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return True
    except ChildProcessError:
        pass  # not our child: its parent reaps it
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # PermissionError: the pid now belongs to someone else
        return True
    # a server started by ANOTHER process (e.g. the benchmark's, stopped by a bulk load's child process)
    # stays a zombie until that process reaps it: it has exited all the same
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


class LocalNeo4j:
    def __init__(self, settings: LocalSettings | None = None, log=print):
        self.s = settings or LocalSettings.from_env()
        self.log = log

    @property
    def pid_file(self) -> Path:
        return self.s.data_dir / "neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.s.data_dir / "logs" / "console.log"

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return None if _gone(pid) else pid

    def running(self) -> bool:
        return self.pid() is not None and bolt_answers(self.s.bolt_port)

    @contextmanager
    def _starting(self):
        """One start at a time per data directory. Without it a second ``start`` while the first
        server was still coming up launched another JVM, which failed on the store lock and removed
        the pid file on its way out: the first server then ran with no pid file, and ``status`` and
        ``stop`` said it was not running. The lock is the kernel's (flock): a start that crashes
        releases it."""
        self.s.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.s.data_dir / "start.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def start(self) -> str:
        """Start (or reuse) the server and return its Bolt URI once it answers."""
        with self._starting():
            return self._start()

    def _start(self) -> str:
        if self.running():
            self.log(f"Neo4j already running on {self.s.uri} (pid {self.pid()}), reusing it")
            return self.s.uri
        if bolt_answers(self.s.bolt_port):
            raise LocalNeo4jError(
                f"port {self.s.bolt_port} already answers Bolt but is not our server "
                f"(no live pid in {self.pid_file}); choose another NEO4J_LOCAL_PORT or stop that server"
            )
        try:
            java = require_tool("java", "Install Java 17 (Debian: apt-get install openjdk-17-jre-headless) or use Docker.")
            lib, plugins = ensure_jars(self.s.jar_dir, self.log)
        except MissingToolError as exc:
            raise LocalNeo4jError(str(exc)) from exc
        fresh = not (self.s.data_dir / "data" / "databases").exists()
        conf_dir = self.s.data_dir / "conf"
        for sub in ("conf", "data", "logs", "run", "import"):
            (self.s.data_dir / sub).mkdir(parents=True, exist_ok=True)
        (conf_dir / "neo4j.conf").write_text(render_conf(self.s, plugins))
        started = time.monotonic()
        if fresh:
            self._set_initial_password(java, lib, plugins, conf_dir)
        proc = self._launch(java, lib, plugins, conf_dir)
        self.pid_file.write_text(f"{proc.pid}\n")
        self._wait_for_bolt(proc)
        self.log(f"Neo4j {self.s.uri} ready in {time.monotonic() - started:.1f}s (pid {proc.pid})")
        return self.s.uri

    def _launch(self, java: str, lib: Path, plugins: Path, conf_dir: Path) -> subprocess.Popen:
        cmd = [
            java, f"-Xms{self.s.heap}", f"-Xmx{self.s.heap}",
            "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+ExitOnOutOfMemoryError",
            "-Djdk.tls.ephemeralDHKeySize=2048", "-Dfile.encoding=UTF-8",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "-cp", f"{lib}/*:{plugins}/*",
            "org.neo4j.server.CommunityEntryPoint",
            f"--home-dir={self.s.data_dir}", f"--config-dir={conf_dir}",
        ]
        out = open(self.console_log, "ab")
        # own session: Ctrl-C in the caller's terminal must not kill the server
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, cwd=self.s.data_dir)

    def _wait_for_bolt(self, proc: subprocess.Popen) -> None:
        deadline = time.monotonic() + self.s.start_timeout_s
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self._forget(proc.pid)
                raise LocalNeo4jError(
                    f"Neo4j exited with code {proc.returncode} during start-up; last lines of "
                    f"{self.console_log}:\n{self._tail()}"
                )
            if bolt_answers(self.s.bolt_port):
                return
            time.sleep(0.5)
        self.stop()
        raise LocalNeo4jError(f"Bolt did not answer on port {self.s.bolt_port} within "
                              f"{self.s.start_timeout_s:.0f}s; see {self.console_log}")

    def _forget(self, pid: int) -> None:
        """Remove the pid file only if it still names ``pid`` (never another server's)."""
        try:
            if int(self.pid_file.read_text().strip()) == pid:
                self.pid_file.unlink(missing_ok=True)
        except (FileNotFoundError, ValueError):
            pass

    def _set_initial_password(self, java: str, lib: Path, plugins: Path, conf_dir: Path) -> None:
        """Write the password into a fresh store offline (neo4j-admin), before the first start:
        no window in which the server answers with the default password, and no Bolt client here."""
        env = {**os.environ, "NEO4J_HOME": str(self.s.data_dir), "NEO4J_CONF": str(conf_dir)}
        done = subprocess.run([java, "-cp", f"{lib}/*:{plugins}/*", "org.neo4j.cli.AdminTool", "dbms",
                               "set-initial-password", self.s.password],
                              env=env, cwd=self.s.data_dir, capture_output=True, text=True, timeout=180)
        if done.returncode != 0:
            raise LocalNeo4jError(f"neo4j-admin dbms set-initial-password failed ({done.returncode}): "
                                  f"{(done.stderr or done.stdout).strip()[-800:]}")

    def _tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.console_log.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no console log)"

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, then SIGKILL after `timeout`)."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _gone(pid):
                break
            time.sleep(0.3)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def kill(self) -> None:
        """SIGKILL, as a crash would; for failure tests."""
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            while not _gone(pid):
                time.sleep(0.1)
