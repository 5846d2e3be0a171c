"""Linting many files: which files (``discovery``), with which settings
(``config``), in which processes (``runner``, ``parallel``), what is known
already (``cache``), what was accepted (``baseline``, ``fingerprints``), how
far along (``progress``), and ``--fix`` (``autofix``)."""
