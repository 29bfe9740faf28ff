"""Settings of the local server, read from the environment (or ``.env``)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


REPO_ROOT = Path(__file__).resolve().parent.parent
# The documented password of the local development server; connection.config refuses it for any
# non-loopback URI (a test checks the two constants agree). Kept here so that the server
# package depends on nothing else of the product.
LOCAL_DEFAULT_PASSWORD = "gvn-local-dev"


def load_dotenv_once() -> None:
    """Read ``.env`` from the working directory; real environment variables win."""
    from dotenv import load_dotenv

    load_dotenv(Path.cwd() / ".env", override=False)

# Versions are pinned together: GDS 2.13 is the line whose compatibility
# matrix lists Neo4j 5.26, and APOC core follows Neo4j's own numbering.
NEO4J_VERSION = "5.26.19"
APOC_VERSION = "5.26.19"
GDS_VERSION = "2.13.9"


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gvn-neo4j"


@dataclass(frozen=True)
class LocalSettings:
    bolt_port: int = 7687
    data_dir: Path = field(default_factory=lambda: REPO_ROOT / ".neo4j" / "demo")
    heap: str = "2g"  # 1g died under 20 concurrent GDS projections (docs/reliability.md)
    pagecache: str = "512m"
    # db.transaction.timeout: stops a runaway query of any client that asks for no limit of its own
    tx_timeout: str = "10m"
    password: str = LOCAL_DEFAULT_PASSWORD
    cache_dir: Path = field(default_factory=_default_cache)
    start_timeout_s: float = 180.0

    @classmethod
    def from_env(cls, **overrides) -> "LocalSettings":
        load_dotenv_once()
        env = os.environ
        values = dict(
            bolt_port=int(env.get("NEO4J_LOCAL_PORT", cls.bolt_port)),
            data_dir=Path(env["NEO4J_LOCAL_DIR"]) if env.get("NEO4J_LOCAL_DIR") else REPO_ROOT / ".neo4j" / "demo",
            heap=env.get("NEO4J_LOCAL_HEAP", cls.heap),
            pagecache=env.get("NEO4J_LOCAL_PAGECACHE", cls.pagecache),
            tx_timeout=env.get("NEO4J_LOCAL_TX_TIMEOUT", cls.tx_timeout),
            password=env.get("NEO4J_PASSWORD", LOCAL_DEFAULT_PASSWORD),
            cache_dir=Path(env["NEO4J_LOCAL_CACHE"]) if env.get("NEO4J_LOCAL_CACHE") else _default_cache(),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["data_dir"] = Path(values["data_dir"]).resolve()
        return cls(**values)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def jar_dir(self) -> Path:
        return self.cache_dir / f"neo4j-{NEO4J_VERSION}-apoc-{APOC_VERSION}-gds-{GDS_VERSION}"
