"""Configuration is read from the environment and refuses unsafe or malformed values."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

LOAD = "import jamsos.config.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)"


def run_settings(env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("JAMSOS_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", LOAD],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_refuses_to_start_with_debug_off_and_the_default_secret_key(tmp_path):
    result = run_settings({"JAMSOS_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "JAMSOS_SECRET_KEY: refusing to start with DEBUG off" in result.stderr


def test_refuses_a_short_secret_key_in_production(tmp_path):
    result = run_settings({"JAMSOS_VAR_DIR": str(tmp_path), "JAMSOS_SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_a_malformed_variable_is_named(tmp_path):
    result = run_settings({"JAMSOS_VAR_DIR": str(tmp_path), "JAMSOS_DEBUG": "sometimes"})
    assert result.returncode != 0
    assert "Invalid environment variable JAMSOS_DEBUG: expected one of true/false" in result.stderr


def test_sqlite_by_default_under_var_and_postgresql_by_database_url(tmp_path):
    result = run_settings({"JAMSOS_VAR_DIR": str(tmp_path), "JAMSOS_DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]
    assert (tmp_path).is_dir()
    result = run_settings(
        {"JAMSOS_DEBUG": "true", "DATABASE_URL": "postgres://jamsos@db.example:5432/jamsos"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


def test_language_time_zone_and_security_defaults():
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert settings.AUTH_USER_MODEL == "accounts.User"


@pytest.mark.parametrize("var", ["JAMSOS_CONN_MAX_AGE", "JAMSOS_HSTS_SECONDS"])
def test_negative_numbers_are_refused(tmp_path, var):
    result = run_settings({"JAMSOS_VAR_DIR": str(tmp_path), "JAMSOS_DEBUG": "true", var: "-5"})
    assert result.returncode != 0
    assert f"{var}: must be at least 0, got -5" in result.stderr
