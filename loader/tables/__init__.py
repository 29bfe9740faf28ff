"""`loader tables DIR`: the file formats, reading, cell-by-cell validation, and turning the
validated rows into graph rows for the writer."""
