"""The one place that reads connection settings and owns the Neo4j driver."""
from connection.config import Settings, ConfigError
from connection.driver import get_driver, close_driver, read_query, write_query

__all__ = ["Settings", "ConfigError", "get_driver", "close_driver", "read_query", "write_query"]
