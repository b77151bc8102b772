"""What the end-to-end tests and the benchmarks share: the real servers on free ports, and a local fake of Slack."""
