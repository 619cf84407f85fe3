"""Galerie's commands speak one language, French or the shell's English: `galerie help`, every
help page (argparse's and Django's own words included), parse errors and command errors."""

import argparse
import re
from unittest import mock

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.utils import translation

from galerie.cli import GalerieUtility
from galerie.core.commands import GalerieCommand, cli_language

# Words of argparse and of Django's BaseCommand that a French page must not show.
ENGLISH = [
    "usage:",
    "positional arguments",
    "show this help",
    "Show program's version",
    "Verbosity level",
    "settings module",
    "Python path",
    "stack trace",
    "colorize",
    "Skip system checks",
]
FRENCH = ["utilisation", "Affiche", "Fichier", "arguments positionnels"]


def _galerie_commands() -> list[str]:
    return sorted(name for name, app in get_commands().items() if app.startswith("galerie."))


@pytest.fixture
def locale(monkeypatch):
    """Set the shell's locale for the test; the active language is restored afterwards."""
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)

    def set_locale(lang: str) -> None:
        monkeypatch.setenv("LANG", lang)

    set_locale("C.UTF-8")
    with translation.override("fr"):
        yield set_locale


def _run(capsys, *argv) -> tuple[int, str, str]:
    """`galerie NAME ARGS…` as the command line runs it: the parser, then the command.

    run_from_argv closes every connection when the command ends; inside a test's transaction
    that breaks the test's own connection on PostgreSQL, so the close is left out here."""
    command = load_command_class(get_commands()[argv[0]], argv[0])
    with (
        mock.patch("django.core.management.base.connections.close_all"),
        pytest.raises(SystemExit) as exited,
    ):
        command.run_from_argv(["galerie", *argv])
    out, err = capsys.readouterr()
    return exited.value.code, out, err


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "C.UTF-8"}, "fr"),
        ({}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "fr_FR.UTF-8"}, "fr"),
    ],
)
def test_language_follows_the_locale_variables_in_posix_order(monkeypatch, variables, expected):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert cli_language() == expected


def test_overview_lists_galerie_commands_first_in_kebab_case_with_their_first_sentence(locale):
    text = GalerieUtility(["galerie"]).main_help_text()
    lines = text.splitlines()
    django_at = lines.index("Commandes de Django (leur aide est en anglais)")

    for name in _galerie_commands():
        kebab = name.replace("_", "-")
        # A name longer than the column stands alone on its line, its help on the next.
        [at] = [i for i, line in enumerate(lines) if re.match(rf"  {kebab}( +\S|$)", line)]
        assert at < django_at, kebab
        if "_" in name:
            assert not re.search(rf"\b{name}\b", text), name
    assert "  payout-run              Verse aux vendeurs vérifiés ce qui leur est dû" in text
    assert "(idempotent par date).\n" in text  # the first sentence only
    assert "Relancée pour la même date" not in text
    assert lines[django_at + 1].startswith("  migrate   ")
    assert "startproject" not in text and "startapp" not in text


def test_overview_in_english(locale):
    locale("en_US.UTF-8")

    text = GalerieUtility(["galerie"]).main_help_text()

    assert text.startswith("Usage: galerie COMMAND [options]\n")
    assert "\nGetting started\n" in text and "\nMoney\n" in text
    assert "  payout-run              Pay verified sellers what they are owed" in text
    for french in ("Démarrer", "Verse aux vendeurs", "Commandes de Django"):
        assert french not in text


def test_every_option_of_every_galerie_command_has_help_in_french_and_in_english():
    for name in _galerie_commands():
        command = load_command_class(get_commands()[name], name)
        assert isinstance(command, GalerieCommand), name
        pages = {}
        for language in ("fr", "en"):
            with translation.override(language):
                parser = command.create_parser("galerie", name)
                pages[language] = {"": parser.description} | {
                    action.dest: action.help for action in parser._actions
                }
        for dest, help_fr in pages["fr"].items():
            assert help_fr and help_fr != argparse.SUPPRESS, f"{name} {dest}: no help"
            assert pages["en"][dest] != help_fr, f"{name} {dest}: not translated"


@pytest.mark.parametrize("name", ["payout_run", "import", "fec_export"])
def test_help_page_is_all_french_by_default(locale, capsys, name):
    status, out, _err = _run(capsys, name, "--help")

    assert status == 0
    assert out.startswith(f"utilisation : galerie {name.replace('_', '-')} ")
    assert "Affiche cette aide et quitte." in out
    assert [word for word in ENGLISH if word in out] == []


@pytest.mark.parametrize("name", ["payout_run", "import", "fec_export"])
def test_help_page_is_all_english_under_an_english_locale(locale, capsys, name):
    locale("en_US.UTF-8")

    status, out, _err = _run(capsys, name, "--help")

    assert status == 0
    assert out.startswith(f"usage: galerie {name.replace('_', '-')} ")
    assert "Show this help message and exit." in out
    assert [word for word in FRENCH if word in out] == []


def test_parse_errors_follow_the_language(locale, capsys):
    status, _out, err = _run(capsys, "cart_purge", "--days", "x")
    assert status == 2
    assert err.startswith("utilisation : galerie cart-purge ")
    assert err.endswith(
        "galerie cart-purge : erreur : argument --days : valeur invalide 'x' "
        "(attendu : un nombre entier)\n"
    )

    locale("en_US.UTF-8")
    status, _out, err = _run(capsys, "import")
    assert status == 2
    assert err.endswith(
        "galerie import: error: the following arguments are required: FEED, --seller\n"
    )


def test_parse_errors_from_code_are_command_errors_in_the_active_language():
    with pytest.raises(CommandError, match=r"^Erreur : argument --days : valeur invalide 'x'"):
        call_command("cart_purge", "--days", "x")


@pytest.mark.django_db
def test_command_errors_read_erreur_not_the_exception_class(locale, capsys):
    status, _out, err = _run(capsys, "export_offers", "--seller", "inconnu")
    assert (status, err) == (1, "Erreur : Vendeur inconnu « inconnu ».\n")

    locale("en_US.UTF-8")
    status, _out, err = _run(capsys, "export_offers", "--seller", "inconnu")
    assert (status, err) == (1, "Error: Unknown seller “inconnu”.\n")
