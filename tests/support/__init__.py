"""Support code of the test suite: fixtures' data and independent reference computations; no tests here."""
