from django.contrib import admin

from .models import SupportPeriod


@admin.register(SupportPeriod)
class SupportPeriodAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "starts_on", "ends_on")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort")
    readonly_fields = ("enrolment", "starts_on", "ends_on")

    def has_add_permission(self, request):
        return False
