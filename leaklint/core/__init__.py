"""The core: what linting one file is.

The engine (``engine``) runs the rules (``rule``, ``registry``,
``selection``) over what they need of a file (``context``) and returns
findings (``finding``); reading the source is ``leaklint.syntax``'s job.
``testing`` holds the helpers rules are tested with.
"""
