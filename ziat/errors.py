from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A rule of the regulation forbids the requested change; ``message`` is translated for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class PermissionDeniedError(DomainError, PermissionDenied):
    """The actor may not do this. A view that lets it through answers with the refusal page (``ziat.refusals``)
    and its message, as for Django's ``PermissionDenied``."""
