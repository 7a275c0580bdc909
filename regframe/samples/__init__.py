"""Sample data: the bundled demo (twelve fictional settings) and the synthetic national dataset for benchmarks."""
