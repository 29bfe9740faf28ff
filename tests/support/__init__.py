"""Helpers of the test suite (fixtures' data, independent reference computations); no tests here."""
