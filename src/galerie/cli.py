"""The `galerie` command: Galerie's management commands, then the Django ones an operator needs.

Commands are spelled with hyphens (`galerie merge-shop …`); Django's command modules use
underscores, and both spellings work. `galerie help` lists Galerie's commands by task with their
first sentence of help, in French, or in English when the shell's locale is English.
"""

import os
import re
import shutil
import sys
import textwrap
from difflib import get_close_matches

from django.conf import settings
from django.core.management import ManagementUtility, get_commands, load_command_class
from django.core.management.color import color_style
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import cli_language

# The overview's reading order; a Galerie command missing here is still listed, under "Autres".
SECTIONS = [
    (gettext_lazy("Démarrer"), ["demo", "serve", "loaddemo", "simulate"]),
    (gettext_lazy("Exploitation"), ["worker", "scheduler", "backup", "restore"]),
    (
        gettext_lazy("Catalogue et flux"),
        [
            "import",
            "import_mappings",
            "merge_shop",
            "export_offers",
            "search_reindex",
            "fetch_pictures",
            "facets_rebuild",
        ],
    ),
    (gettext_lazy("Argent"), ["payout_run", "ledger_check", "fec_export"]),
    (gettext_lazy("Conformité"), ["moderation_report"]),
    (
        gettext_lazy("Maintenance (cron ou tâches de fond)"),
        [
            "release_expired_orders",
            "subscriptions_daily",
            "returns_overdue",
            "cart_purge",
            "promotions_apply",
            "sellers_erase_expired",
            "customers_retention",
            "tasks_flush",
        ],
    ),
]
# Django's commands that running a Galerie needs, described here because their own help is English.
DJANGO_COMMANDS = {
    "migrate": gettext_lazy("Crée ou met à jour le schéma de la base de données."),
    "createsuperuser": gettext_lazy("Crée un compte d'administrateur du back office."),
    "changepassword": gettext_lazy("Change le mot de passe d'un compte."),
    "db_worker": gettext_lazy("Exécute les tâches de fond (sans REDIS_URL)."),
    "rqworker": gettext_lazy("Exécute les tâches de fond (avec REDIS_URL)."),
    "check": gettext_lazy("Vérifie la configuration ; --deploy : celle de la production."),
    "shell": gettext_lazy("Ouvre une console Python avec la galerie chargée."),
    "dbshell": gettext_lazy("Ouvre une console SQL sur la base de données."),
    "showmigrations": gettext_lazy("Liste les migrations et dit lesquelles sont appliquées."),
    "sendtestemail": gettext_lazy("Envoie un e-mail de test pour vérifier la configuration SMTP."),
    "clearsessions": gettext_lazy("Supprime les sessions expirées."),
    "prune_db_task_results": gettext_lazy("Supprime les résultats des tâches de fond terminées."),
}
# Not listed (they still run): they start a new Django project or app, or run Django's test runner
# where Galerie's tests run under pytest.
DJANGO_HIDDEN = {"startproject", "startapp", "test", "testserver"}


def command_name(name: str, app: str) -> str:
    """The name as shown: Galerie's commands in kebab-case, Django's as Django spells them."""
    return name.replace("_", "-") if app.startswith("galerie.") else name


def first_sentence(text: str) -> str:
    text = " ".join(str(text).split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


def help_overview(prog: str) -> str:
    """`galerie help`: Galerie's commands by task, then Django's, in the active language."""
    style = color_style()
    width = min(shutil.get_terminal_size().columns, 100)
    lines = [
        _("Utilisation : %(prog)s COMMANDE [options]") % {"prog": prog},
        _("Aide d'une commande : %(prog)s help COMMANDE, ou %(prog)s COMMANDE --help.")
        % {"prog": prog},
    ]

    def section(title, entries):
        lines.extend(["", style.NOTICE(str(title))])
        for name, description in entries:
            shown = f"  {name:<24}"
            if len(shown) > 26:
                lines.append(shown.rstrip())
                shown = " " * 26
            lines.extend(
                textwrap.wrap(
                    str(description),
                    width=width,
                    initial_indent=shown,
                    subsequent_indent=" " * 26,
                )
                or [shown.rstrip()]
            )

    ours = {name: app for name, app in get_commands().items() if app.startswith("galerie.")}
    listed = {name for _title, names in SECTIONS for name in names}
    sections = [*SECTIONS, (gettext_lazy("Autres"), sorted(set(ours) - listed))]
    for title, names in sections:
        names = [name for name in names if name in ours]
        if not names:
            continue
        section(
            title,
            [
                (
                    command_name(name, ours[name]),
                    first_sentence(load_command_class(ours[name], name).help),
                )
                for name in names
            ],
        )

    django = sorted(name for name in get_commands() if name not in ours)
    section(
        _("Commandes de Django (leur aide est en anglais)"),
        [(name, text) for name, text in DJANGO_COMMANDS.items() if name in django],
    )
    others = [name for name in django if name not in DJANGO_COMMANDS and name not in DJANGO_HIDDEN]
    lines.append("")
    lines.extend(
        textwrap.wrap(
            _("Et aussi : %(commands)s.") % {"commands": ", ".join(others)},
            width=width,
            initial_indent="  ",
            subsequent_indent="  ",
        )
    )
    return "\n".join(lines)


class GalerieUtility(ManagementUtility):
    """Django's `django-admin`, with Galerie's overview and messages in the user's language."""

    def main_help_text(self, commands_only=False):
        if self.settings_exception is not None:  # Django's list, with the settings' error
            return super().main_help_text(commands_only)
        if commands_only:  # for shell completion
            return "\n".join(sorted(command_name(*item) for item in get_commands().items()))
        translation.activate(cli_language())
        return help_overview(self.prog_name)

    def fetch_command(self, subcommand):
        commands = get_commands()
        if subcommand in commands or not settings.configured:
            return super().fetch_command(subcommand)
        translation.activate(cli_language())
        typed = subcommand.replace("_", "-")
        sys.stderr.write(_("Commande inconnue : « %(name)s ».") % {"name": typed})
        close = get_close_matches(typed, [command_name(*item) for item in commands.items()], n=1)
        if close:
            sys.stderr.write(" " + _("Vouliez-vous dire %(name)s ?") % {"name": close[0]})
        sys.stderr.write("\n" + _("Liste des commandes : %(prog)s help") % {"prog": self.prog_name})
        sys.stderr.write("\n")
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    # The command's name, and the one after `help`, may be typed in kebab-case.
    for position in (0, 1) if args[:1] == ["help"] else (0,):
        if len(args) > position and not args[position].startswith("-"):
            args[position] = args[position].replace("-", "_")
    if args[:1] == ["demo"]:
        # Before the settings load: the demo serves plain http with the test card gateway.
        from galerie.demo import DEMO_ENVIRONMENT

        os.environ.update(DEMO_ENVIRONMENT)
    GalerieUtility(["galerie", *args]).execute()


if __name__ == "__main__":
    main()
