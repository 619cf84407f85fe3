"""The `galerie` command: every Django management command, plus demo, serve, loaddemo, import …

`galerie merge-shop …` and `galerie export-offers …` are spelled with hyphens on the command line;
Django's command modules use underscores.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    if args[:1] == ["demo"]:
        # Before the settings load: the demo serves plain http with the test card gateway.
        from galerie.demo import DEMO_ENVIRONMENT

        os.environ.update(DEMO_ENVIRONMENT)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["galerie", *args])


if __name__ == "__main__":
    main()
