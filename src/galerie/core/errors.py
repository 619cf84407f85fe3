"""Domain errors carry a stable code that the API returns and a message for people."""


class DomainError(Exception):
    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class NotFound(DomainError):
    code = "not_found"
    status = 404
