"""Errors of notice and action, each with a stable code the API returns."""

from galerie.core.errors import DomainError


class ModerationError(DomainError):
    code = "moderation_invalid"


class NoticeInvalid(ModerationError):
    code = "notice_invalid"


class DecisionRefused(ModerationError):
    code = "decision_refused"


class ComplaintRefused(ModerationError):
    code = "complaint_refused"
