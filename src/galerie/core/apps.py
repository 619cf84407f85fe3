from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "galerie.core"
    verbose_name = _("Noyau")

    def ready(self):
        from galerie.core import checks  # noqa: F401 — registers the deploy checks
        from galerie.core.roles import roles_sync_after_migrate

        # Setup, not business flow: keep the staff roles' groups in step with the code.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="galerie-roles-sync")
