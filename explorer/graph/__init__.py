"""Network drawings: the scene model (nodes and edges on screen), styling, layout for
large scenes, and the bidirectional pyvis component that reports clicks."""
