"""The back-office of partners: education departments and schools, their representatives and requests."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ziat.admin_mixins import ReadOnlyAdmin, ReadOnlyTabularInline
from ziat.errors import DomainError

from .forms.requests import RepresentativeCreateForm
from .models import Partner, Plan, PlanApplication, PlanLine, Representative, RequestedTeacher, TeacherRequest
from .services.requests import representative_create


class RepresentativeInline(admin.TabularInline):
    model = Representative
    fields = ("user", "position")
    readonly_fields = ("user",)
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # a representative is added with their account, on the representative's own page


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "region", "bin", "email")
    list_filter = ("kind", "region", "republican")
    search_fields = ("name", "bin", "email")
    autocomplete_fields = ("parent",)
    inlines = [RepresentativeInline]


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    list_display = ("user", "username", "partner", "position")
    list_filter = ("partner__kind",)
    search_fields = ("user__username", "user__last_name", "user__first_name", "partner__name")
    list_select_related = ("user", "partner")
    autocomplete_fields = ("partner",)
    fields = ("user", "partner", "position")
    readonly_fields = ("user",)

    @admin.display(description=_("login"), ordering="user__username")
    def username(self, obj):
        return obj.user.username

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = RepresentativeCreateForm
            kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "partner",
                "username",
                "last_name",
                "first_name",
                "middle_name",
                "email",
                "position",
                "password1",
                "password2",
            ]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        try:
            created = representative_create(
                by=request.user,
                partner=data["partner"],
                username=data["username"],
                last_name=data["last_name"],
                first_name=data["first_name"],
                middle_name=data["middle_name"],
                email=data["email"],
                password=data["password1"] or None,
                position=data["position"],
            )
        except DomainError as e:
            raise ValidationError(e.message) from None
        obj.pk, obj.user_id = created.pk, created.user_id
        obj._state.adding = False

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as e:
            self.message_user(request, " ".join(e.messages), messages.ERROR)
            return redirect(request.get_full_path())


class RequestedTeacherInline(ReadOnlyTabularInline):
    model = RequestedTeacher
    fields = ("row", "iin", "last_name", "first_name", "middle_name", "birth_date", "position", "listener")
    readonly_fields = fields


@admin.register(TeacherRequest)
class TeacherRequestAdmin(ReadOnlyAdmin):
    """Read-only here: requests are decided on the registrar's page, where all the rules apply."""

    list_display = ("partner", "cohort", "status", "letter_number", "submitted_at", "decide")
    list_filter = ("status",)
    search_fields = ("partner__name", "cohort__code", "letter_number")
    list_select_related = ("partner", "cohort")
    inlines = [RequestedTeacherInline]

    @admin.display(description=_("work"))
    def decide(self, obj):
        if obj.status == "draft":
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("enrolment:request_detail", args=[obj.pk]), _("Open"))


# ------------------------------------------------------------------------------------ the planning chain (001 §10-16)


class PlanLineInline(ReadOnlyTabularInline):
    model = PlanLine
    fields = ("row", "organisation", "last_name", "first_name", "iin", "position", "topic", "cohort")
    readonly_fields = fields


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    """Read-only here: plans are built, sent and returned on the representatives' pages, and a late one is
    accepted on the centre's plan page, where all the rules apply."""

    list_display = ("partner", "year", "status", "submitted_at", "open_page")
    list_filter = ("status", "year")
    search_fields = ("partner__name",)
    list_select_related = ("partner",)
    inlines = [PlanLineInline]

    @admin.display(description=_("work"))
    def open_page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("enrolment:staff_plan", args=[obj.pk]), _("Open"))


@admin.register(PlanApplication)
class PlanApplicationAdmin(ReadOnlyAdmin):
    """Read-only here: a teacher applies in their cabinet and the head decides on the planning page."""

    list_display = ("last_name", "first_name", "organisation", "year", "status", "submitted_at")
    list_filter = ("status", "year")
    search_fields = ("last_name", "first_name", "iin", "organisation__name")
    list_select_related = ("organisation",)
