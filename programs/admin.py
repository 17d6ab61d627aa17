from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ziat.admin_mixins import ReadOnlyAdmin, ReadOnlyTabularInline

from .enums import HOUR_FIELDS
from .models import Module, Program, ProgramStatusChange, ProgramVersion, Topic
from .selectors import plan_totals, version_with_plan


class StatusChangeInline(ReadOnlyTabularInline):
    model = ProgramStatusChange
    fields = ("at", "from_status", "to_status", "by", "note")
    readonly_fields = fields


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdmin):
    """Programs for reading: they are created, written, discussed, sent and approved on the staff's program
    pages, which keep the history of every transition."""

    list_display = ("__str__", "status", "approved_on", "staff_link")
    list_filter = ("status", "form_of_study", "language")
    search_fields = ("title_kk", "title_ru")
    fields = (
        "title_kk",
        "title_ru",
        "form_of_study",
        "language",
        "status",
        "plan_link",
        "approved_on",
        "approval_order_number",
    )
    readonly_fields = ("status", "plan_link", "approved_on", "approval_order_number")
    inlines = [StatusChangeInline]

    @admin.display(description=_("path of the program"))
    def staff_link(self, obj):
        url = reverse("programs:staff_detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Discussion, state body, approval"))

    @admin.display(description=_("thematic plan"))
    def plan_link(self, obj):
        if not obj.pk or not obj.current_version_id:
            return "—"
        url = reverse("admin:programs_programversion_change", args=[obj.current_version_id])
        return format_html('<a href="{}">{}</a>', url, _("Modules and hours"))


class ModuleInline(ReadOnlyTabularInline):
    model = Module
    fields = ("position", "title_kk", "title_ru", "is_final_assessment", "topics_link")
    readonly_fields = fields

    @admin.display(description=_("topics"))
    def topics_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:programs_module_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Topics and hours"))


def _totals_table(version):
    version = version_with_plan(version.pk)
    totals = plan_totals(version)
    head = format_html_join("", "<th>{}</th>", ((Topic._meta.get_field(f).verbose_name,) for f in HOUR_FIELDS))
    rows = format_html_join(
        "",
        "<tr><td>{}. {}</td>{}<td>{}</td></tr>",
        (
            (
                module.position,
                module.title,
                format_html_join(
                    "",
                    "<td>{}</td>",
                    ((sum((getattr(t, f) for t in module.topics.all()), 0),) for f in HOUR_FIELDS),
                ),
                totals.modules[module.pk],
            )
            for module in version.modules.all()
        ),
    )
    foot = format_html_join("", "<th>{}</th>", ((totals.columns[f],) for f in HOUR_FIELDS))
    return format_html(
        "<table><thead><tr><th></th>{}<th>{}</th></tr></thead><tbody>{}</tbody>"
        '<tfoot><tr><th>{}</th>{}<th id="plan-total">{}</th></tr></tfoot></table>',
        head,
        _("Total"),
        rows,
        _("TOTAL"),
        foot,
        totals.total,
    )


@admin.register(ProgramVersion)
class ProgramVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "frozen")
    fields = ("program", "number", "frozen", "totals")
    readonly_fields = ("program", "number", "frozen", "totals")
    inlines = [ModuleInline]

    @admin.display(description=_("hours of the thematic plan"))
    def totals(self, obj):
        return _totals_table(obj)


class TopicInline(ReadOnlyTabularInline):
    model = Topic
    fields = ("position", "code", "title_kk", "title_ru", *HOUR_FIELDS)
    readonly_fields = fields


@admin.register(Module)
class ModuleAdmin(ReadOnlyAdmin):
    """A module's topics and hours, for reading; the plan is edited on the program's plan page."""

    fields = ("version", "position", "title_kk", "title_ru", "is_final_assessment")
    inlines = [TopicInline]

    def has_module_permission(self, request):
        return False
