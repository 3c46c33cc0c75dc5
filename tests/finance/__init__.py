"""Tests of ``movsc_toolkit.finance``."""
