"""The published files: the whole corpus of one data version as tables (tables), written as a
Frictionless data package, an SQLite database and Parquet files (formats), kept per data
version under ``DOWNLOADS_DIR`` and built once per version (store). docs/downloads.md says
what each file holds and why."""
