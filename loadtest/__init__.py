"""A mixed load test: API reads and admin writes against gunicorn on loopback
(``python -m loadtest.run``, ``make loadtest``; the parts are listed in loadtest.run)."""
