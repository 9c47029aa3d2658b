"""Version 1 of the read API, mounted at /api/v1/. Keys named here are a contract: later
versions may add keys, never rename or remove them."""
