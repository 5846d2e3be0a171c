"""Developer tools that are not part of the leaklint command line."""
