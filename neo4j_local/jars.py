"""Resolve the server and plugin jars from Maven Central into a local cache.

Maven is only used to download: ``dependency:copy-dependencies`` on the two
poms in ``maven/``. Plugin jars that the server already ships (same group and
artifact) are dropped, because two versions of one library on the class path
make class loading depend on jar order.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from neo4j_local.settings import APOC_VERSION, GDS_VERSION, NEO4J_VERSION

POM_DIR = Path(__file__).resolve().parent / "maven"
_READY = ".complete"


class MissingToolError(RuntimeError):
    pass


def require_tool(name: str, hint: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise MissingToolError(f"'{name}' was not found on PATH. {hint}")
    return path


def artifact_key(jar_name: str) -> str:
    """'org.neo4j.neo4j-kernel-5.26.19.jar' -> 'org.neo4j.neo4j-kernel'."""
    return re.sub(r"-\d[^-]*(-[A-Za-z]+)?\.jar$", "", jar_name)


def drop_duplicates(lib: Path, plugins: Path) -> list[str]:
    server_keys = {artifact_key(p.name) for p in lib.glob("*.jar")}
    dropped = []
    for jar in plugins.glob("*.jar"):
        if artifact_key(jar.name) in server_keys:
            jar.unlink()
            dropped.append(jar.name)
    return sorted(dropped)


def _copy_dependencies(mvn: str, pom: Path, out: Path, log) -> None:
    cmd = [
        mvn, "-B", "-q", "-f", str(pom),
        "dependency:copy-dependencies",
        "-Dmdep.prependGroupId=true",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={out}",
        f"-Dneo4j.version={NEO4J_VERSION}",
        f"-Dapoc.version={APOC_VERSION}",
        f"-Dgds.version={GDS_VERSION}",
    ]
    log(f"resolving {pom.parent.name} jars with Maven (first run only) ...")
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(
            f"Maven could not resolve {pom}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )


def ensure_jars(jar_dir: Path, log=print) -> tuple[Path, Path]:
    """Return (lib, plugins), downloading them on the first call only."""
    lib, plugins = jar_dir / "lib", jar_dir / "plugins"
    if (jar_dir / _READY).exists():
        return lib, plugins
    mvn = require_tool("mvn", "Install Maven (Debian: apt-get install maven) or use Docker (docker compose up).")
    tmp = jar_dir.with_name(jar_dir.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    _copy_dependencies(mvn, POM_DIR / "server" / "pom.xml", tmp / "lib", log)
    _copy_dependencies(mvn, POM_DIR / "plugins" / "pom.xml", tmp / "plugins", log)
    drop_duplicates(tmp / "lib", tmp / "plugins")
    (tmp / _READY).write_text("ok\n")
    shutil.rmtree(jar_dir, ignore_errors=True)
    tmp.rename(jar_dir)  # atomic: a killed download never looks complete
    return lib, plugins
