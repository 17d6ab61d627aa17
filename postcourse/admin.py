from django.contrib import admin

from ziat.admin_mixins import ReadOnlyAdmin

from .models import SupportPeriod


@admin.register(SupportPeriod)
class SupportPeriodAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "starts_on", "ends_on")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort")
