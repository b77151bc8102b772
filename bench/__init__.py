"""Benchmarks and calibration: scripts that print figures (`make bench`, or `python -m bench.<name>`)."""
