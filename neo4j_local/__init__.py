"""Start and stop a real Neo4j 5.26 Community server without Docker.

The server, APOC core and Graph Data Science come from Maven Central as jars
(see ``maven/``); they are resolved once into a cache so that a warm start only
launches the JVM. Used by ``make neo4j`` and by the test suite.
"""
from neo4j_local.settings import LocalSettings
from neo4j_local.server import LocalNeo4j, LocalNeo4jError

__all__ = ["LocalSettings", "LocalNeo4j", "LocalNeo4jError"]
