"""Panel arithmetic for the studies: pure functions of DataFrames, no database (``estimate``, ``tidy``)."""
