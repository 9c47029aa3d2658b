"""Run the accuracy tables: ``python -m stats.extraction.accuracy``."""

import sys

from stats.extraction.accuracy.cli import main

sys.exit(main(sys.argv[1:]))
