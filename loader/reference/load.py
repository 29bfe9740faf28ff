"""Write the reference data (I/O half of reference_graph)."""
from __future__ import annotations

from connection import Settings
from loader.reference.rows import reference_graph
from loader.graph.summary import LoadSummary
from loader.graph.write import write_graph


def load_reference(settings: Settings | None = None, progress: bool = True) -> LoadSummary:
    return write_graph(reference_graph(), settings, progress=progress, description="reference data")
