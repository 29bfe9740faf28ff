"""Errors raised by the query modules, the runner and saved reports.

- ``ParameterError``: a parameter is missing, of the wrong type or outside its allowed range.
- ``QueryRefused``: a query is not read-only (writes, schema or admin commands, LOAD CSV,
  procedures that write) or names an unknown module/report.
- ``QueryTimeout``: a query ran past its time limit and was stopped by the server.
"""
from __future__ import annotations


class QueryError(Exception):
    """Base class of every error of this package."""


class ParameterError(QueryError, ValueError):
    pass


class QueryRefused(QueryError):
    pass


class QueryTimeout(QueryError, TimeoutError):
    pass


class UnknownModule(QueryError, KeyError):
    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "unknown module"
