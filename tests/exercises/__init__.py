"""Tests of ``movsc_toolkit.exercises``."""
