from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_mixins import ReadOnlyAdmin
from .models import ActivityLog, CalendarDay, Organisation, User

admin.site.site_header = _("Course centre back-office")
admin.site.site_title = _("Course centre")
admin.site.index_title = _("Back-office")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets[:1],
        (_("Personal info"), {"fields": ("last_name", "first_name", "middle_name", "email")}),
        *BaseUserAdmin.fieldsets[2:],
    )
    list_display = ("username", "last_name", "first_name", "is_staff")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    fieldsets = (
        (None, {"fields": ("name_kk", "name_ru", "short_name", "logo", "city_kk", "city_ru")}),
        (_("Head"), {"fields": ("head_title_kk", "head_title_ru", "head_name")}),
        (_("Rules"), {"fields": ("academic_hour_minutes", "registration_prefix", "pass_floor_percent", "staff_total")}),
    )

    def has_add_permission(self, request):
        return not Organisation.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    """The government's calendar decisions, read here; recorded and withdrawn on the staff calendar page."""

    list_display = ("date", "is_working", "note")
    list_filter = ("is_working",)
    date_hierarchy = "date"


@admin.register(ActivityLog)
class ActivityLogAdmin(ReadOnlyAdmin):
    """The activity log, for reading only: entries are written by the services and never changed."""

    list_display = ("at", "actor", "action", "object_label", "note")
    list_filter = ("action",)
    search_fields = ("object_label", "action", "note", "actor__username", "actor__last_name")
    list_select_related = ("actor",)
    date_hierarchy = "at"


@admin.register(AccessAttempt)
class LoginAttemptAdmin(ReadOnlyAdmin):
    """Failed logins counted by the throttle; an account is unlocked with `manage.py axes_reset_username`."""

    list_display = ("attempt_time", "username", "ip_address", "failures_since_start")
    search_fields = ("username", "ip_address")
    date_hierarchy = "attempt_time"


@admin.register(AccessLog)
class LoginLogAdmin(ReadOnlyAdmin):
    list_display = ("attempt_time", "logout_time", "username", "ip_address")
    search_fields = ("username", "ip_address")
    date_hierarchy = "attempt_time"


@admin.register(AccessFailureLog)
class LoginFailureAdmin(ReadOnlyAdmin):
    list_display = ("attempt_time", "username", "ip_address", "locked_out")
    search_fields = ("username", "ip_address")
    date_hierarchy = "attempt_time"
