class DomainError(Exception):
    """A rule of the regulation forbids the requested change; ``message`` is translated for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class PermissionDeniedError(DomainError):
    pass
