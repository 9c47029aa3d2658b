"""A mixed load test: API reads and admin writes against gunicorn on loopback (loadtest.run)."""
