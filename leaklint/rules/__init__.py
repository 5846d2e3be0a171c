"""One module per rule (or tight family of rules); the registry finds them."""
