"""Multi-regional input-output tables: download (fetch), read and check each release (read and its
release readers: parquet, oecd, wiod2016, exiobase), compute the sector accounts (with iomath) and
turn one table year into graph rows for the writer."""
