"""Settings of the benchmark server: the production settings (from the environment, as ever)
plus the ceiling views of bench/views.py under /bench/."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
