"""Loaded by pytest before Django reads its settings (`-p` in pyproject.toml): the suite runs as
`galerie demo` does, over plain http with the simulated card gateway. Tests of the production
defaults turn them back off (override_settings) or start a process with its own environment."""

import os

from galerie.demo import DEMO_ENVIRONMENT

os.environ.update(DEMO_ENVIRONMENT)
