"""Benchmarks: a generator of graphs in the project's model and the side-by-side benchmark (see README.md)."""
