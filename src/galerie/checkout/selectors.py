"""Reads of the checkout: the state kept in the session between the steps."""

SESSION_KEY = "checkout"


def checkout_state(request) -> dict:
    """{email, shipping, billing_same, billing} for this storefront, or {} before the first step."""
    storefront = getattr(request, "storefront", None)
    if storefront is None:
        return {}
    return dict((request.session.get(SESSION_KEY) or {}).get(str(storefront.pk)) or {})


def checkout_state_set(request, state: dict) -> None:
    stored = request.session.get(SESSION_KEY) or {}
    stored[str(request.storefront.pk)] = state
    request.session[SESSION_KEY] = stored


def checkout_state_forget(request) -> None:
    stored = request.session.get(SESSION_KEY) or {}
    stored.pop(str(request.storefront.pk), None)
    request.session[SESSION_KEY] = stored


def checkout_email(request, state: dict) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.email or user.username
    return state.get("email", "")
