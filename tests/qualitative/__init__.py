"""Tests of ``movsc_toolkit.qualitative``."""
