"""Tests of ``movsc_toolkit.lexico``."""
