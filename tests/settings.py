"""Settings for the test suite: the real settings with a fixed secret key.

Tests run with DEBUG off (as Django's test runner forces), so a secret key
other than the development default is required; the database comes from
DATABASE_URL as in production (SQLite in memory when unset).
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("JAMSOS_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
os.environ.setdefault("JAMSOS_HTTPS", "false")

from jamsos.config.settings import *  # noqa: F403

STORAGES = {  # no collectstatic manifest in tests
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="jamsos-static-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
JAMSOS_DOCUMENT_DIR = Path(tempfile.mkdtemp(prefix="jamsos-documents-"))
# The tests' payments carry fixed dates in 2025 and 2026, notified whenever the suite runs:
# the window of paid_at is tested on its own (tests/test_robustness.py) with the default.
JAMSOS_PAID_AT_MAX_AGE_DAYS = 365_000
