"""Run-time confirmation: watch the objects growth findings name while the
program's own tests (or workload) run, and say which really grow.

Only the run-time faces (the pytest plugin) use this package; the linting
faces never import or run analysed code.
"""
