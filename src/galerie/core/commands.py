"""The base of Galerie's management commands: help, options, errors and output in one language,
French, or English when the shell's locale (LC_ALL, LC_MESSAGES, LANG) is English.

Django's default options and argparse's own words ("usage:", "options", "the following arguments
are required") are English whatever the language; `GalerieCommand` builds its parser from the
classes below so that they follow the command's language too.
"""

import os
import re
import sys
from importlib.metadata import PackageNotFoundError, version

from django.core.management import base
from django.core.management.base import CommandError, SystemCheckError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def cli_language() -> str:
    """ "en" when the locale variables ask for English, read in POSIX order (LC_ALL, then
    LC_MESSAGES, then LANG); French, Galerie's own language, otherwise (C, POSIX, fr_FR …)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "fr"
    return "fr"


def galerie_version() -> str:
    try:
        return f"Galerie {version('galerie')}"
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "Galerie"


# Django's default options (BaseCommand.create_parser), in the command's language.
BASE_OPTION_HELP = {
    "--version": gettext_lazy("Affiche la version de Galerie et quitte."),
    "--verbosity": gettext_lazy(
        "Niveau de détail des messages : 0 = minimal, 1 = normal, 2 = détaillé, 3 = très détaillé."
    ),
    "--settings": gettext_lazy(
        "Module Python des réglages, par exemple galerie.settings ; par défaut, la variable "
        "d'environnement DJANGO_SETTINGS_MODULE."
    ),
    "--pythonpath": gettext_lazy(
        "Dossier à ajouter au chemin de recherche de Python, par exemple /srv/galerie."
    ),
    "--traceback": gettext_lazy("Affiche la pile d'appels complète en cas d'erreur."),
    "--no-color": gettext_lazy("N'utilise pas de couleurs dans la sortie."),
    "--force-color": gettext_lazy("Utilise des couleurs même hors d'un terminal."),
    "--skip-checks": gettext_lazy("Ne fait pas les vérifications du système au démarrage."),
}

# argparse's error messages (Python 3.12 – 3.14), matched whole; "message" is translated in turn.
# A message missing here (a newer Python's wording) is shown as argparse wrote it.
ARGPARSE_ERRORS = [
    (
        r"the following arguments are required: (?P<args>.+)",
        gettext_lazy("arguments obligatoires manquants : %(args)s"),
    ),
    (r"unrecognized arguments: (?P<args>.+)", gettext_lazy("arguments inconnus : %(args)s")),
    (
        r"one of the arguments (?P<args>.+) is required",
        gettext_lazy("l'un des arguments %(args)s est obligatoire"),
    ),
    (
        r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)",
        gettext_lazy("option ambiguë : %(option)s peut désigner %(matches)s"),
    ),
    (
        r"argument (?P<argument>\S+): (?P<message>.+)",
        gettext_lazy("argument %(argument)s : %(message)s"),
    ),
    (r"expected one argument", gettext_lazy("une valeur est attendue")),
    (r"expected at most one argument", gettext_lazy("au plus une valeur est attendue")),
    (r"expected at least one argument", gettext_lazy("au moins une valeur est attendue")),
    (r"expected (?P<count>\d+) arguments?", gettext_lazy("%(count)s valeurs sont attendues")),
    (
        r"invalid (?P<type>\w+) value: (?P<value>.+)",
        gettext_lazy("valeur invalide %(value)s (attendu : %(type)s)"),
    ),
    (
        r"invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)",
        gettext_lazy("choix invalide %(value)s (valeurs possibles : %(choices)s)"),
    ),
    (
        r"not allowed with argument (?P<argument>.+)",
        gettext_lazy("incompatible avec %(argument)s"),
    ),
    (r"ignored explicit argument (?P<value>.+)", gettext_lazy("valeur en trop : %(value)s")),
]
ARGPARSE_TYPES = {
    "int": gettext_lazy("un nombre entier"),
    "float": gettext_lazy("un nombre"),
}


def argparse_error_translate(message: str) -> str:
    for pattern, template in ARGPARSE_ERRORS:
        match = re.fullmatch(pattern, message, flags=re.DOTALL)
        if match:
            values = match.groupdict()
            if "message" in values:
                values["message"] = argparse_error_translate(values["message"])
            if "type" in values:
                values["type"] = str(ARGPARSE_TYPES.get(values["type"], values["type"]))
            return str(template) % values
    return message


class HelpFormatter(base.DjangoHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _("utilisation : ") if prefix is None else prefix)


class CommandParser(base.CommandParser):
    """Django's parser with argparse's own words in the active language."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._positionals.title = _("arguments positionnels")
        self._optionals.title = _("options")
        for action in self._actions:
            if action.dest == "help":
                action.help = _("Affiche cette aide et quitte.")

    def error(self, message):
        message = argparse_error_translate(message)
        if not self.called_from_command_line:
            raise CommandError(_("Erreur : %(message)s") % {"message": message})
        self.print_usage(sys.stderr)
        self.exit(
            2, _("%(prog)s : erreur : %(message)s\n") % {"prog": self.prog, "message": message}
        )


class GalerieCommand(base.BaseCommand):
    """The base of every Galerie command. `help` is a lazy translation whose first sentence is
    the command's line in `galerie help`; every option is given a `help` in the same language."""

    def get_version(self):
        return galerie_version()

    def create_parser(self, prog_name, subcommand, **kwargs):
        """BaseCommand.create_parser with our parser, the kebab-case name and translations."""
        kwargs.setdefault("formatter_class", HelpFormatter)
        parser = CommandParser(
            prog=f"{os.path.basename(prog_name)} {subcommand.replace('_', '-')}",
            description=str(self.help) or None,
            missing_args_message=getattr(self, "missing_args_message", None),
            called_from_command_line=getattr(self, "_called_from_command_line", None),
            **kwargs,
        )
        self.add_base_argument(parser, "--version", action="version", version=self.get_version())
        self.add_base_argument(
            parser, "-v", "--verbosity", default=1, type=int, choices=[0, 1, 2, 3]
        )
        self.add_base_argument(parser, "--settings", metavar=_("MODULE"))
        self.add_base_argument(parser, "--pythonpath", metavar=_("DOSSIER"))
        self.add_base_argument(parser, "--traceback", action="store_true")
        self.add_base_argument(parser, "--no-color", action="store_true")
        self.add_base_argument(parser, "--force-color", action="store_true")
        if self.requires_system_checks:
            self.add_base_argument(parser, "--skip-checks", action="store_true")
        self.add_arguments(parser)
        return parser

    def add_base_argument(self, parser, *args, **kwargs):
        kwargs.setdefault("help", str(BASE_OPTION_HELP[args[-1]]))
        super().add_base_argument(parser, *args, **kwargs)

    def print_help(self, prog_name, subcommand):
        translation.activate(cli_language())
        super().print_help(prog_name, subcommand)

    def run_from_argv(self, argv):
        """From the command line, the shell's language; called from code (call_command), the
        caller's active language."""
        translation.activate(cli_language())
        super().run_from_argv(argv)

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            # run_from_argv would print "CommandError: …"; the user reads « Erreur : … ».
            if (
                not getattr(self, "_called_from_command_line", False)
                or options.get("traceback")
                or isinstance(exc, SystemCheckError)
            ):
                raise
            self.stderr.write(_("Erreur : %(message)s") % {"message": exc})
            sys.exit(exc.returncode)
