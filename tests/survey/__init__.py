"""Tests of ``movsc_toolkit.survey``."""
