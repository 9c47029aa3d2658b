"""SDMX: the dataset's data structure definition and codelists (``dsd``, ``codelists``), the
structure message (``structure``, SDMX-ML 3.0), and data messages of any set of observations
(``data``: SDMX-CSV 2.0 and SDMX-JSON 2.0). docs/sdmx.md says how to read them."""
