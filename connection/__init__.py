"""The one place that reads connection settings and owns the Neo4j driver.

``read`` and ``write`` are the product's two doors to the database, ``analytics`` the door for graph
algorithms (a READ transaction on NEO4J_GDS_URI, by default the same server); see ``connection.driver``.
"""
from connection.config import ConfigError, Settings
from connection.driver import NO_LIMIT, analytics, caught_up, causal, check_connection, close_driver, forget_driver, get_driver, read, write

__all__ = ["NO_LIMIT", "Settings", "ConfigError", "read", "write", "analytics", "causal", "caught_up", "check_connection", "get_driver", "close_driver", "forget_driver"]
