"""Structure-aware fuzz tests: every reader fed mutated input, under a time budget.

Each test builds a valid small file of one format with hypothesis, breaks part of it
(bytes flipped, cut, inserted or repeated; fields given hostile values) and reads it
through the public API. Three things must hold for every input: no exception escapes
the reader, every diagnostic names where it is, and a valid record beside a broken one
is kept. :mod:`tests.fuzz.budget` gives each test its time: a few seconds in
``make test``, ``FUZZ_SECONDS`` each in ``make fuzz``.
"""
