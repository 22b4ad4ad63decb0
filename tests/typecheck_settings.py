"""Settings that mypy's Django plugin loads (``[tool.django-stubs]`` in pyproject.toml).

The real settings (:mod:`jamsos.config.settings`) with a placeholder secret key and an
in-memory database, so that ``mypy`` runs with no environment and never connects to a
database. Never used to serve anything.
"""

import os

os.environ.setdefault("JAMSOS_SECRET_KEY", "typecheck-only-secret-key-" + "x" * 40)
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from jamsos.config.settings import *  # noqa: F403
