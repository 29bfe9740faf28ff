"""Connection settings from the environment or a ``.env`` file.

NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE; defaults point at the
local server started by ``make neo4j``. Any URI scheme the driver accepts works
unchanged, including ``neo4j+s://`` for Aura or a cluster.

The analytics connection (``Settings.analytics_from_env``): NEO4J_GDS_URI, NEO4J_GDS_USER,
NEO4J_GDS_PASSWORD, NEO4J_GDS_DATABASE, each defaulting to its NEO4J_ counterpart. Graph
algorithms (the modules that project a GDS graph) run there: a cluster's secondary that holds the
same data, so projections and algorithms use its heap and cores, not the server that takes the
writes. Unset, everything goes to NEO4J_URI.
"""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

# The documented password of the local development server only. It is refused
# for any non-loopback URI, so it can never protect a shared database.
LOCAL_DEFAULT_PASSWORD = "gvn-local-dev"
DEFAULT_URI = "bolt://127.0.0.1:7687"
_LOOPBACK = {"localhost", "127.0.0.1", "::1", ""}
_dotenv_loaded = False


class ConfigError(ValueError):
    pass


def load_dotenv_once(path: Path | None = None) -> None:
    """Read ``.env`` from the working directory; real environment variables win."""
    global _dotenv_loaded
    if _dotenv_loaded:
        return
    _dotenv_loaded = True
    from dotenv import load_dotenv

    load_dotenv(path or Path.cwd() / ".env", override=False)


def is_loopback(uri: str) -> bool:
    host = urlparse(uri).hostname or ""
    if host in _LOOPBACK:
        return True
    try:  # 127.0.0.0/8 and ::1 as addresses; a name such as '127.example.com' can point anywhere
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _extra_default_hosts() -> set[str]:
    # docker-compose's private service name; never set this for a shared database
    return {h.strip() for h in os.environ.get("GVN_ALLOW_DEFAULT_PASSWORD_HOSTS", "").split(",") if h.strip()}


@dataclass(frozen=True)
class Settings:
    uri: str = DEFAULT_URI
    user: str = "neo4j"
    password: str = LOCAL_DEFAULT_PASSWORD
    database: str = "neo4j"

    @classmethod
    def from_env(cls) -> "Settings":
        load_dotenv_once()
        env = os.environ
        s = cls(
            uri=env.get("NEO4J_URI") or DEFAULT_URI,
            user=env.get("NEO4J_USER") or "neo4j",
            password=env.get("NEO4J_PASSWORD") or LOCAL_DEFAULT_PASSWORD,
            database=env.get("NEO4J_DATABASE") or "neo4j",
        )
        s.validate()
        return s

    @classmethod
    def analytics_from_env(cls) -> "Settings":
        """Where graph algorithms run: the NEO4J_GDS_* variables, each defaulting to the main one."""
        main = cls.from_env()
        env = os.environ
        s = cls(
            uri=env.get("NEO4J_GDS_URI") or main.uri,
            user=env.get("NEO4J_GDS_USER") or main.user,
            password=env.get("NEO4J_GDS_PASSWORD") or main.password,
            database=env.get("NEO4J_GDS_DATABASE") or main.database,
        )
        s.validate(variable="NEO4J_GDS_URI")
        return s

    def validate(self, variable: str = "NEO4J_URI") -> None:
        scheme = urlparse(self.uri).scheme
        allowed = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}
        if scheme not in allowed:
            raise ConfigError(f"{variable}={self.uri!r}: expected a scheme among {sorted(allowed)}")
        if self.password == LOCAL_DEFAULT_PASSWORD and not is_loopback(self.uri) \
                and urlparse(self.uri).hostname not in _extra_default_hosts():
            raise ConfigError(
                f"{variable}={self.uri!r} is not a loopback address but its password is the local "
                "development default; set the real password in the environment or .env"
            )

    def describe(self) -> str:
        return f"{self.uri} (database {self.database!r}, user {self.user!r})"
