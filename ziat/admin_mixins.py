"""The back-office reads lifecycle records and edits configuration only.

A lifecycle record (a cohort, a session, an enrolment, a mark, a result, a certificate, a payment ...)
changes on a staff page that calls a service, where the regulation's rules and the actor's reach are
checked; in the back-office it is shown for reading, with filters and search, and nothing can be added,
changed or deleted there, nor by a bulk action.
"""

from django.contrib import admin


class ReadOnlyMixin:
    """No add, change or delete permission and no actions, for a ModelAdmin or an inline alike."""

    actions = None  # no bulk action, not even "delete selected"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
