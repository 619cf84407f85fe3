"""The back office's ModelAdmin base: an action the user may not run is refused with a 403.

Django leaves a disallowed action out of the list's menu, but answers a forged POST of it with
"no action selected" and a redirect. Every Galerie admin inherits from this class, so a role that
may view a list but not run one of its actions gets a plain refusal (and nothing changes).

Also here: django-tasks-db's admin under French column names.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult


class GalerieModelAdmin(admin.ModelAdmin):
    class Media:
        # Lists that fit at 1,280 px beside the menu and the filters (wrapping, narrower filters).
        css = {"all": ["galerie/admin.css"]}

    def changelist_view(self, request, extra_context=None):
        # Checked before Django's own handling, which skips actions entirely for a user who may
        # run none of them (the POST would just re-render the list).
        if request.method == "POST" and "_save" not in request.POST:
            declared = {action.name for action in self._get_base_actions()}
            allowed = self.get_actions(request)
            posted = request.POST.getlist("action")
            if any(name in declared and name not in allowed for name in posted):
                raise PermissionDenied
        return super().changelist_view(request, extra_context)


admin.site.unregister(DBTaskResult)  # registered by django_tasks_db.admin, imported above


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """django-tasks-db's task results (the background imports, payouts, expiries) with French
    column names: its own are plain English strings that no catalogue translates."""

    @admin.display(description=_("tâche"))
    def task_name(self, obj):
        return obj.task_name

    @admin.display(description=_("trace d'exécution"))
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description=_("à lancer après"))
    def display_run_after(self, obj):
        return super().display_run_after(obj)
