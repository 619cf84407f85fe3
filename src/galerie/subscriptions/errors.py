"""Subscription errors, each with a stable code returned by the API."""

from galerie.core.errors import DomainError, NotFound


class SubscriptionError(DomainError):
    code = "subscription_error"


class SubscriptionNotFound(NotFound):
    code = "subscription_not_found"


class InvalidRenewal(SubscriptionError):
    code = "invalid_renewal"
    status = 409


class NotTerminable(SubscriptionError):
    code = "subscription_not_terminable"
    status = 409


class InvalidSubscriptionDetails(SubscriptionError):
    code = "invalid_details"


class NotWithdrawable(SubscriptionError):
    code = "subscription_not_withdrawable"
    status = 409


class WithdrawalPeriodOver(SubscriptionError):
    code = "withdrawal_period_over"
    status = 409


class TerminationLinkInvalid(SubscriptionError):
    code = "termination_link_invalid"


class TerminationLinkExpired(SubscriptionError):
    code = "termination_link_expired"
