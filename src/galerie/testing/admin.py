"""The back office as a browser uses it: the POST a change page sends back."""

from django.db.models import Model


def admin_form_data(response) -> dict:
    """The POST a browser would send back for the change page `response`, unchanged."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {management.add_prefix(k): v for k, v in management.initial.items()}
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, Model):
                value = value.pk
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = value
    return data
