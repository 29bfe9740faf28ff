"""Multi-regional input-output tables: download, read and check with pymrio, compute the
sector accounts (with iomath) and turn one table year into graph rows for the writer."""
