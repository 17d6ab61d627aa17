from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ziat.admin_mixins import ReadOnlyAdmin, ReadOnlyTabularInline
from ziat.errors import DomainError

from .enums import EnrolmentStatus
from .forms.listener import ListenerCreateForm
from .models import Cohort, Enrolment, Listener, Session
from .services.core import listener_create, listener_update


@admin.register(Listener)
class ListenerAdmin(admin.ModelAdmin):
    list_display = ("full_name", "workplace", "position")
    search_fields = ("iin", "user__last_name", "user__first_name", "user__middle_name")
    list_select_related = ("user",)
    fields = ("user", "iin", "birth_date", "phone", "workplace", "position")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ListenerCreateForm
            kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "last_name",
                "first_name",
                "middle_name",
                "iin",
                "birth_date",
                "email",
                "phone",
                "workplace",
                "position",
                "password",
            ]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return ("user", "iin", "birth_date") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            data = form.cleaned_data
            listener_update(
                obj, by=request.user, phone=data["phone"], workplace=data["workplace"], position=data["position"]
            )
            return
        data = form.cleaned_data
        try:
            created = listener_create(
                by=request.user,
                last_name=data["last_name"],
                first_name=data["first_name"],
                middle_name=data["middle_name"],
                iin=data["iin"],
                birth_date=data.get("birth_date"),
                email=data["email"],
                phone=data["phone"],
                workplace=data["workplace"],
                position=data["position"],
                password=data["password"] or None,
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


class SessionInline(ReadOnlyTabularInline):
    """The timetable, for reading: sessions are planned on the cohort's timetable page (trainer clashes and the
    program's plan are checked there), and marks are taken on its attendance grid."""

    model = Session
    fields = ("date", "starts_at", "ends_at", "topic", "kind", "hours", "trainer", "place")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("topic__module", "trainer")


class EnrolmentInline(ReadOnlyTabularInline):
    """The listeners, for reading: they come through admission (seats, orders, contracts) and move by the
    registrar's pages (transfers, interruptions, expulsion)."""

    model = Enrolment
    fields = ("listener", "status", "group")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("listener__user", "group")


@admin.register(Cohort)
class CohortAdmin(ReadOnlyAdmin):
    list_display = ("code", "program", "starts_on", "ends_on", "listeners", "actions_links")
    list_filter = ("language", "funding")
    search_fields = ("code", "program__title_kk", "program__title_ru")
    list_select_related = ("program",)
    inlines = [SessionInline, EnrolmentInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(listener_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)))
        )

    @admin.display(description=_("listeners"), ordering="listener_count")
    def listeners(self, obj):
        return obj.listener_count

    @admin.display(description=_("work"))
    def actions_links(self, obj):
        links = [
            (reverse("enrolment:cohort_detail", args=[obj.pk]), _("Cohort")),
            (reverse("enrolment:timetable", args=[obj.pk]), _("Timetable")),
            (reverse("enrolment:attendance_grid", args=[obj.pk]), _("Attendance")),
            (reverse("assessment:final_results", args=[obj.pk]), _("Results")),
            (reverse("certificates:cohort_certificates", args=[obj.pk]), _("Certificates")),
        ]
        return format_html(" · ".join(['<a href="{}">{}</a>'] * len(links)), *[x for pair in links for x in pair])


from . import admin_partners, admin_trainers  # noqa: E402,F401
