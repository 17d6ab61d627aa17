from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .enums import HOUR_FIELDS
from .models import Module, Program, ProgramStatusChange, ProgramVersion, Topic
from .selectors import plan_totals, version_with_plan
from .services import program_create


class StatusChangeInline(admin.TabularInline):
    model = ProgramStatusChange
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "by", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
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

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = program_create(
            by=request.user,
            title_kk=obj.title_kk,
            title_ru=obj.title_ru,
            form_of_study=obj.form_of_study,
            language=obj.language,
        )
        obj.pk, obj.current_version_id = created.pk, created.current_version_id
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        messages.info(request, _("Now enter the modules of the program."))
        return super().response_add(request, obj, post_url_continue)


class FrozenMixin:
    """A frozen version (sent out or approved) is never edited again."""

    def _frozen(self, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and self._frozen(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and self._frozen(obj))


class ModuleInline(FrozenMixin, admin.TabularInline):
    model = Module
    extra = 1
    fields = ("position", "title_kk", "title_ru", "is_final_assessment", "topics_link")
    readonly_fields = ("topics_link",)

    def _frozen(self, obj):
        return obj.frozen

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
class ProgramVersionAdmin(FrozenMixin, admin.ModelAdmin):
    list_display = ("__str__", "frozen")
    fields = ("program", "number", "frozen", "totals")
    readonly_fields = ("program", "number", "frozen", "totals")
    inlines = [ModuleInline]

    def _frozen(self, obj):
        return obj.frozen

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("hours of the thematic plan"))
    def totals(self, obj):
        return _totals_table(obj)


class TopicInline(FrozenMixin, admin.TabularInline):
    model = Topic
    extra = 3
    fields = ("position", "code", "title_kk", "title_ru", *HOUR_FIELDS)

    def _frozen(self, obj):
        return obj.version.frozen


@admin.register(Module)
class ModuleAdmin(FrozenMixin, admin.ModelAdmin):
    fields = ("version", "position", "title_kk", "title_ru", "is_final_assessment")
    readonly_fields = ("version",)
    inlines = [TopicInline]

    def _frozen(self, obj):
        return obj.version.frozen

    def has_add_permission(self, request):
        return False

    def has_module_permission(self, request):
        return False

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            return self._redirect_to_version(obj)
        return response

    def _redirect_to_version(self, obj):
        from django.http import HttpResponseRedirect

        return HttpResponseRedirect(reverse("admin:programs_programversion_change", args=[obj.version_id]))
