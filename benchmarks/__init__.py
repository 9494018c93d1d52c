"""Benchmarks: each module has `run()` and prints ratios measured in one run (`make bench`)."""
