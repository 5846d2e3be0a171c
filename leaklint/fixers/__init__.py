"""The fixes rules propose (``leaklint.fixes``), one family per module."""
