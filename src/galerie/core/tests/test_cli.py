"""The `galerie` command reaches every management command; secrets are generated, not committed."""

import os
import stat
import subprocess
import sys

import pytest

from galerie.core.management.commands.serve import loopback_binds


def _galerie(*args, var_dir):
    env = {**os.environ, "GALERIE_VAR_DIR": str(var_dir)}
    env.pop("SECRET_KEY", None)
    if args and args[0] == "shell":
        args = (*args, "--no-imports")
    return subprocess.run(
        [sys.executable, "-m", "galerie.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_galerie_and_django_commands(tmp_path):
    result = _galerie("help", var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    for command in ("demo", "serve", "loaddemo", "migrate", "createsuperuser", "shell"):
        assert command in result.stdout


def test_shell_runs_code_and_hyphenated_names_map_to_commands(tmp_path):
    result = _galerie("shell", "-c", "print(6 * 7)", var_dir=tmp_path)
    assert result.returncode == 0 and result.stdout.strip().endswith("42"), result.stderr
    result = _galerie("search-reindex", "--help", var_dir=tmp_path)
    assert result.returncode == 0, result.stderr


def test_secret_key_is_generated_once_into_var_and_private(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _galerie("shell", "-c", code, var_dir=tmp_path).stdout.strip()
    second = _galerie("shell", "-c", code, var_dir=tmp_path).stdout.strip()
    key_file = tmp_path / "secret_key"
    assert first == second == key_file.read_text().strip() and len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_debug_is_off_unless_asked(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG)"
    assert _galerie("shell", "-c", code, var_dir=tmp_path).stdout.strip() == "False"


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.2", ["127.0.0.2:8000"]), ("localhost", ["127.0.0.1:8000"])],
)
def test_serve_binds_loopback(host, expected):
    assert loopback_binds(host, 8000)[: len(expected)] == expected
