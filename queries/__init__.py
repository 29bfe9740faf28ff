"""Cypher query modules: centrality, linkages, value added and spillover paths."""
