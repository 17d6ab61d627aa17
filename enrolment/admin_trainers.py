"""The back-office of the trainers' registry (001 §3, §21-22, 003 §5), for reading and searching.

A trainer is added and corrected on the registry's own pages (they create the staff account and check the
registry's rules); here the records are searched and filtered, with the 40% rule computed.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ziat.admin_mixins import ReadOnlyAdmin

from .models import Trainer
from .services.trainers import TRAINER_FIELDS, qualifying_q, qualifying_reasons


class CountsFilter(admin.SimpleListFilter):
    title = _("counts towards 40%")
    parameter_name = "counts"

    def lookups(self, request, model_admin):
        return [("1", _("yes")), ("0", _("no"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(qualifying_q())
        if self.value() == "0":
            return queryset.exclude(qualifying_q())
        return queryset


@admin.register(Trainer)
class TrainerAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "username",
        "kind",
        "academic_degree",
        "category",
        "industry_experience",
        "is_certified",
        "contract_type",
        "is_active",
        "counts",
    )
    list_filter = ("kind", "academic_degree", "category", "is_certified", "contract_type", "is_active", CountsFilter)
    search_fields = ("user__username", "user__last_name", "user__first_name", "profile", "certificate_number")
    list_select_related = ("user",)
    fields = ("user", *TRAINER_FIELDS)  # documents are opened on the registry page, which checks access

    @admin.display(description=_("login"), ordering="user__username")
    def username(self, obj):
        return obj.user.username

    @admin.display(description=_("counts towards 40%"))
    def counts(self, obj):
        return "; ".join(qualifying_reasons(obj)) or "—"
