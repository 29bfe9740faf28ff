"""Cached reads for the pages: query modules and saved reports, search, neighbourhoods,
what is loaded. Every statement goes through the connection's read door."""
