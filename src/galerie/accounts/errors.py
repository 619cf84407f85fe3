from galerie.core.errors import DomainError


class TooManyLoginAttempts(DomainError):
    code = "too_many_login_attempts"
    status = 429
