"""Fixtures for the claims tests: the shared ones live in tests/conftest.py."""
