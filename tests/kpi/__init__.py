"""Tests of ``movsc_toolkit.kpi``."""
