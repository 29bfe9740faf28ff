"""Secrets: no password in tracked files beyond the documented local defaults, .env ignored,
and the local default password refused for any database that is not on this machine."""
from __future__ import annotations

import re
import subprocess

import pytest

from connection.config import LOCAL_DEFAULT_PASSWORD, ConfigError, Settings
from tests.conftest import REPO, TEST_PASSWORD

# The only credentials the repository may spell out: the documented password of the local
# development server (refused for any remote URI) and the passwords of the throwaway loopback
# servers the tests and the benchmark start for themselves (bench/server.py).
ALLOWED = {LOCAL_DEFAULT_PASSWORD, TEST_PASSWORD, "gvn-bench-only",
           "neo4j"}  # 'neo4j': what a fresh server accepts once
# this file holds the planted examples of the control test
SELF = "tests/test_reliability_secrets.py"
# placeholders in documentation and hostile-query test data that are not credentials
PLACEHOLDERS = re.compile(r"^(\.\.\.|<[^>]*>|\*+|x+|changeme|\$\{[^}]*\}|\$[A-Za-z_]\w*|secret123|owned-owned|"
                          r"a-real-secret|the-real-one)$", re.IGNORECASE)

# password-like assignments: password = "...", NEO4J_PASSWORD=..., auth=("user", "..."), NEO4J_AUTH=user/...
PATTERNS = [
    re.compile(r"""(?i)\b(?:\w*pass(?:word|wd)?|pwd|secret|token|api_?key)\b["']?\s*[:=]\s*["']([^"'\s]{3,})["']"""),
    re.compile(r"""\bNEO4J_PASSWORD=([^\s"'$`(){}]{3,})"""),  # .env and shell style (not in .py files)
    re.compile(r"""(?i)\$\{\w*PASS\w*:-([^}]+)\}"""),  # a shell default: ${NEO4J_PASSWORD:-value}
    re.compile(r"""(?i)\bauth\s*=\s*\(\s*["'][^"']*["']\s*,\s*["']([^"']+)["']\s*\)"""),
    re.compile(r"""(?i)NEO4J_AUTH[\s:=]+["']?[^/\s"'$]+/([^\s"'}$]+)"""),
    re.compile(r"""(?i)\b(?:bolt|neo4j)(?:\+s|\+ssc)?://[^:/\s]+:([^@/\s]+)@"""),  # password inside a URI
]


def find_secrets(text: str, python: bool = False) -> list[str]:
    """Password-like values in `text`; in Python files `NEO4J_PASSWORD=x` is a keyword argument
    (an expression, e.g. settings.password), so only quoted literals count there."""
    found = []
    for pattern in PATTERNS:
        if python and pattern is PATTERNS[1]:
            continue
        for m in pattern.finditer(text):
            value = m.group(1).rstrip(",;)`")
            if value in ALLOWED or PLACEHOLDERS.match(value):
                continue
            found.append(value)
    return found


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    return [p for p in out.decode().split("\0") if p]


def test_the_scanner_finds_planted_passwords():
    """The scanner can fail: each pattern catches a planted credential, and allows the defaults."""
    planted = [
        'password = "hunter22"', "NEO4J_PASSWORD=hunter22", 'auth=("neo4j", "hunter22")',
        'NEO4J_AUTH: "neo4j/hunter22"', 'NEO4J_AUTH: "${NEO4J_USER:-neo4j}/${NEO4J_PASSWORD:-hunter22}"', "uri = 'neo4j+s://neo4j:hunter22@db.example.com'",
        "'api_key': 'hunter22'", "db_pass: 'hunter22'",
    ]
    for line in planted:
        assert find_secrets(line) == ["hunter22"], line
    assert find_secrets(f'LOCAL_DEFAULT_PASSWORD = "{LOCAL_DEFAULT_PASSWORD}"') == []
    assert find_secrets("NEO4J_PASSWORD=... python -m schema apply") == []
    assert find_secrets("env = dict(os.environ, NEO4J_PASSWORD=settings.password)", python=True) == []
    assert find_secrets("env = dict(os.environ, NEO4J_PASSWORD='hunter22')", python=True) == ["hunter22"]
    assert find_secrets("password = 'hunter22'", python=True) == ["hunter22"]


def test_no_password_in_tracked_files_beyond_the_documented_defaults():
    files = tracked_files()
    assert len(files) > 20 and "connection/config.py" in files
    leaks = {}
    for path in files:
        if path == SELF:
            continue
        full = REPO / path
        if not full.is_file() or full.stat().st_size > 2_000_000:
            continue
        try:
            text = full.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary file
        found = find_secrets(text, python=path.endswith(".py"))
        if found:
            leaks[path] = found
    assert not leaks, f"password-like values in tracked files: {leaks}"


def test_dot_env_and_local_state_are_ignored():
    for path in (".env", ".neo4j/demo/data", "test-output/x.json"):
        res = subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO)
        assert res.returncode == 0, f"{path} is not ignored by git"
    assert ".env" not in tracked_files()
    # and the check itself can fail: a source file is not ignored
    assert subprocess.run(["git", "check-ignore", "-q", "connection/config.py"], cwd=REPO).returncode == 1


@pytest.mark.parametrize("uri", [
    "bolt://db.example.com:7687", "neo4j+s://abcd1234.databases.neo4j.io", "neo4j://10.0.0.5",
    "bolt+ssc://192.168.1.20:7687", "neo4j://[2001:db8::1]:7687", "bolt://localhost.example.com",
    "bolt://127.example.com:7687", "neo4j://127.0.0.1.attacker.example:7687",
])
def test_default_password_refused_for_a_database_elsewhere(uri, monkeypatch):
    with pytest.raises(ConfigError, match="not a loopback address"):
        Settings(uri=uri, password=LOCAL_DEFAULT_PASSWORD).validate()
    # the same through the environment, as every command reads it (an unset password means the default)
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.delenv("GVN_ALLOW_DEFAULT_PASSWORD_HOSTS", raising=False)
    with pytest.raises(ConfigError):
        Settings.from_env()
    monkeypatch.setenv("NEO4J_PASSWORD", "a-real-secret")
    assert Settings.from_env().uri == uri


@pytest.mark.parametrize("uri", ["bolt://127.0.0.1:7687", "neo4j://localhost", "bolt://[::1]:7687"])
def test_default_password_accepted_on_this_machine(uri):
    Settings(uri=uri, password=LOCAL_DEFAULT_PASSWORD).validate()


def test_refused_settings_never_reach_the_driver(monkeypatch):
    """The commands build their driver from Settings.from_env(): a refused configuration stops there."""
    from connection import get_driver

    monkeypatch.setenv("NEO4J_URI", "neo4j+s://abcd1234.databases.neo4j.io")
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.delenv("GVN_ALLOW_DEFAULT_PASSWORD_HOSTS", raising=False)
    with pytest.raises(ConfigError):
        get_driver()
