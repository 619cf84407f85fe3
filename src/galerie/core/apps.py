from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django_tasks_db import apps as tasks_apps


class CoreConfig(AppConfig):
    name = "galerie.core"
    verbose_name = _("Noyau")

    def ready(self):
        from galerie.core import checks  # noqa: F401 — registers the deploy checks
        from galerie.core.roles import roles_sync_after_migrate

        # Setup, not business flow: keep the staff roles' groups in step with the code.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="galerie-roles-sync")


# Installed in place of Django's own configs (settings.INSTALLED_APPS); `default = False` keeps
# CoreConfig the one Django picks for "galerie.core".


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose default site (`admin.site`, where every `@admin.register` lands) is
    the back office's: its home, its French menu grouped by task, the economics dashboard."""

    default = False
    default_site = "galerie.reporting.backoffice.BackOfficeSite"


class TasksConfig(tasks_apps.TasksAppConfig):
    """django-tasks-db under a French name (its own, "Tasks Database Backend", is untranslated)."""

    default = False
    verbose_name = _("Tâches en arrière-plan")
