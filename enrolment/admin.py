from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from programs.enums import ProgramStatus
from ziat import access
from ziat.errors import DomainError

from .attendance import session_started
from .enums import ATTENDED, EnrolmentStatus
from .forms.listener import ListenerCreateForm
from .models import Attendance, Cohort, Enrolment, Listener, Session
from .services import attendance_save, listener_create


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
        return ("user", "iin") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
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


class SessionInline(admin.TabularInline):
    model = Session
    extra = 1
    fields = ("date", "starts_at", "ends_at", "topic", "kind", "hours", "trainer", "place")
    autocomplete_fields = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "trainer":
            kwargs["queryset"] = db_field.related_model.objects.filter(groups__name="trainer")
        if db_field.name == "topic":
            cohort_id = request.resolver_match.kwargs.get("object_id")
            qs = db_field.related_model.objects.select_related("module")
            kwargs["queryset"] = qs.filter(module__version__cohorts=cohort_id) if cohort_id else qs.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EnrolmentFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        active = [
            f
            for f in self.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and f.cleaned_data.get("status", EnrolmentStatus.ENROLLED) == EnrolmentStatus.ENROLLED
        ]
        if len(active) > self.instance.capacity:
            raise ValidationError(_("The cohort is full: %(capacity)s places.") % {"capacity": self.instance.capacity})


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    formset = EnrolmentFormSet
    extra = 1
    fields = ("listener", "status")
    autocomplete_fields = ("listener",)


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = [
            "program",
            "code",
            "language",
            "funding",
            "starts_on",
            "ends_on",
            "capacity",
            "test_max_score",
            "test_pass_score",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "program" in self.fields:
            self.fields["program"].queryset = self.fields["program"].queryset.filter(status=ProgramStatus.APPROVED)

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The course cannot end before it starts."))
        top, pass_mark = data.get("test_max_score"), data.get("test_pass_score")
        if top and pass_mark is not None:
            if pass_mark > top:
                self.add_error("test_pass_score", _("The pass mark cannot exceed the maximum score."))
            elif pass_mark * 2 < top:
                self.add_error("test_pass_score", _("The pass mark cannot be below half of the maximum score."))
        program = data.get("program")
        if program is not None:
            self.instance.version_id = program.approved_version_id
        return data


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    form = CohortForm
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

    def get_readonly_fields(self, request, obj=None):
        return ("program",) if obj else ()

    @admin.display(description=_("listeners"), ordering="listener_count")
    def listeners(self, obj):
        return obj.listener_count

    @admin.display(description=_("work"))
    def actions_links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:enrolment_cohort_attendance", args=[obj.pk]),
            _("Attendance"),
            reverse("admin:assessment_cohort_results", args=[obj.pk]),
            _("Results"),
            reverse("admin:certificates_cohort_issue", args=[obj.pk]),
            _("Certificates"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/attendance/",
                self.admin_site.admin_view(self.attendance_view),
                name="enrolment_cohort_attendance",
            ),
            *super().get_urls(),
        ]

    def attendance_view(self, request, pk):
        """The grid of listeners × sessions, saved in one request."""
        cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=pk)
        access.check(request.user, "enrolment.mark_attendance", cohort)
        sessions = list(cohort.sessions.select_related("topic").order_by("date", "starts_at"))
        enrolments = list(cohort.enrolments.select_related("listener__user"))
        if request.method == "POST":
            now = timezone.now()
            marks = {
                (s.pk, e.pk): f"a-{s.pk}-{e.pk}" in request.POST
                for s in sessions
                if session_started(s, now)
                for e in enrolments
            }
            try:
                count = attendance_save(cohort=cohort, marks=marks, by=request.user)
            except DomainError as e:
                self.message_user(request, e.message, messages.ERROR)
            else:
                self.message_user(request, _("Attendance saved (%(count)s changes).") % {"count": count})
                return redirect(request.path)
        present = set(
            Attendance.objects.filter(session__cohort=cohort, status__in=ATTENDED).values_list(
                "session_id", "enrolment_id"
            )
        )
        rows = [(e, [(s, (s.pk, e.pk) in present) for s in sessions]) for e in enrolments]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Attendance: %(cohort)s") % {"cohort": cohort.code},
            "cohort": cohort,
            "sessions": sessions,
            "rows": rows,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "enrolment/cohort/attendance.html", context)


from . import admin_partners, admin_trainers  # noqa: E402,F401
