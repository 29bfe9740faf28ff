"""Loads reference data, tables and input-output systems into the graph."""
