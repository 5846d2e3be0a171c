"""Facts about APIs, kept as data: which calls allocate, release, borrow or cache."""
