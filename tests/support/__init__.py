"""Helpers shared by the tests (no test imports another test module's helpers from here on)."""
