"""leaklint: find memory and resource leaks in Python source, without running it."""

__version__ = "0.1.0"

__all__ = ["__version__"]
