"""Tests of the shared core (reading, writing, display, CLI, datasets, class server)."""
