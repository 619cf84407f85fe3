"""The back office's ModelAdmin base: an action the user may not run is refused with a 403.

Django leaves a disallowed action out of the list's menu, but answers a forged POST of it with
"no action selected" and a redirect. Every Galerie admin inherits from this class, so a role that
may view a list but not run one of its actions gets a plain refusal (and nothing changes).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied


class GalerieModelAdmin(admin.ModelAdmin):
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
