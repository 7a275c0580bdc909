"""Benchmarks: each module's ``run`` measures one stage at a given size and returns its figures."""
