"""The `galerie` command reaches every management command; secrets are generated, not committed."""

import os
import stat
import subprocess
import sys

import pytest

from galerie.core.management.commands.serve import loopback_binds


def _galerie(*args, var_dir, env=None):
    """`galerie …` in a fresh process, in French unless `env` sets an English locale."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "LC_ALL", "LC_MESSAGES")},
        "LANG": "C.UTF-8",
        "GALERIE_VAR_DIR": str(var_dir),
        **(env or {}),
    }
    if args and args[0] == "shell":
        args = (*args, "--no-imports")
    return subprocess.run(
        [sys.executable, "-m", "galerie.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_is_the_same_page_however_asked_and_kebab_case_reaches_commands(tmp_path):
    bare, asked, flag = (_galerie(*args, var_dir=tmp_path) for args in ([], ["help"], ["--help"]))

    assert bare.returncode == asked.returncode == flag.returncode == 0, bare.stderr
    assert bare.stdout == asked.stdout == flag.stdout
    assert asked.stdout.index("payout-run") < asked.stdout.index("createsuperuser")
    for args in (["help", "merge-shop"], ["merge-shop", "--help"]):
        page = _galerie(*args, var_dir=tmp_path)
        assert page.returncode == 0, page.stderr
        assert page.stdout.startswith("utilisation : galerie merge-shop "), page.stdout


def test_english_locale_gets_english_help_and_errors(tmp_path):
    english = {"LANG": "en_US.UTF-8"}

    overview = _galerie("help", var_dir=tmp_path, env=english)
    missing = _galerie("import", var_dir=tmp_path, env=english)

    assert "Getting started" in overview.stdout and "Démarrer" not in overview.stdout
    assert missing.returncode == 2
    assert "usage: galerie import " in missing.stderr
    assert "galerie import: error: the following arguments are required: FEED, --seller" in (
        missing.stderr
    )


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
