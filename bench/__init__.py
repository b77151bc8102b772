"""Benchmarks and calibration: scripts that print figures (run them with `make bench`)."""
