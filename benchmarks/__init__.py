"""Performance benchmark of ``cloudstack_driver`` (not part of the test run).

``python -m benchmarks`` from the repository root; see :mod:`benchmarks.run`.
"""
