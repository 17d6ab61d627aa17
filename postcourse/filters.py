"""The filters of the support lists (``ziat.listing``)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from enrolment.models import Enrolment
from programs.models import Program
from ziat.listing import FilterSet, Search

from .consultations import NOT_CLOSED
from .enums import ConsultationKind, ConsultationStatus, EventKind, PublicationStatus
from .models import FOLLOW_UP_MONTHS, months_after_course


class ConsultationFilter(FilterSet):
    """Consultations not yet closed unless a status is chosen, found by subject or listener, kind and cohort."""

    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ConsultationStatus.choices, empty_label=_("not closed")
    )
    q = Search(
        label=_("subject or listener"),
        fields=("subject", "enrolment__listener__user__last_name", "enrolment__listener__user__first_name"),
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ConsultationKind.choices)
    cohort = django_filters.CharFilter(
        label=_("cohort code"), field_name="enrolment__cohort__code", lookup_expr="icontains", max_length=50
    )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset if self.form.cleaned_data.get("status") else queryset.filter(status__in=NOT_CLOSED)


class SchoolTeacherFilter(FilterSet):
    """The school's teachers in their support year, found by name and cohort (within the school's own)."""

    q = Search(
        label=_("teacher"),
        fields=("listener__user__last_name", "listener__user__first_name", "listener__user__middle_name"),
    )
    cohort = django_filters.CharFilter(
        label=_("cohort code"), field_name="cohort__code", lookup_expr="icontains", max_length=50
    )


class PublicationFilter(FilterSet):
    """Drafts of publications found by title or listener, status and cohort."""

    q = Search(
        label=_("title or listener"),
        fields=("title", "enrolment__listener__user__last_name", "enrolment__listener__user__first_name"),
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=PublicationStatus.choices)
    cohort = django_filters.CharFilter(
        label=_("cohort code"), field_name="enrolment__cohort__code", lookup_expr="icontains", max_length=50
    )


def _date(label, field_name, lookup):
    return django_filters.DateFilter(
        label=label,
        field_name=field_name,
        lookup_expr=lookup,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class EventFilter(FilterSet):
    """Events found by title, kind, the days they start on and a program they are meant for."""

    q = Search(label=_("title"), fields=("title_kk", "title_ru"))
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=EventKind.choices)
    starts_from = _date(_("starts from"), "starts_at__date", "gte")
    starts_to = _date(_("starts by"), "starts_at__date", "lte")
    program = django_filters.ModelChoiceFilter(
        label=_("program"),
        field_name="programs",
        queryset=Program.objects.filter(support_events__isnull=False).distinct().order_by("pk"),
        distinct=True,
    )


class SupportCohortFilter(FilterSet):
    """The cohorts in their support year found by code and program."""

    cohort = django_filters.CharFilter(
        label=_("cohort code"), field_name="code", lookup_expr="icontains", max_length=50
    )
    program = Search(label=_("program"), fields=("program__title_kk", "program__title_ru"))


_months_after = lazy(months_after_course, str)


class _ListenerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.listener.user.full_name


class _ListenerFilter(django_filters.ModelChoiceFilter):
    field_class = _ListenerChoice


class _FollowUpAnswerFilter(FilterSet):
    """The follow-up questionnaires (001 §34) by the months after the course, whether they are answered (or
    not yet due) and whether the listener asked for more support (waiting for a staff member, or handled)."""

    months = django_filters.ChoiceFilter(
        label=_("questionnaire"), choices=[(str(m), _months_after(m)) for m in FOLLOW_UP_MONTHS]
    )
    state = django_filters.ChoiceFilter(
        label=_("answer"),
        choices=[
            ("answered", _("answered")),
            ("unanswered", _("due, not answered")),
            ("not_due", _("not yet due")),
        ],
        method="filter_state",
    )
    support = django_filters.ChoiceFilter(
        label=_("more support"),
        choices=[
            ("asked", _("asked for more support")),
            ("waiting", _("asked, not yet handled")),
            ("handled", _("asked, handled")),
        ],
        method="filter_support",
    )

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "answered":
            return queryset.filter(answered_at__isnull=False)
        if value == "unanswered":
            return queryset.filter(answered_at__isnull=True, due_on__lte=today)
        return queryset.filter(answered_at__isnull=True, due_on__gt=today)

    def filter_support(self, queryset, name, value):
        asked = Q(answered_at__isnull=False, wants_support=True)
        if value == "waiting":
            asked &= Q(support_handled_at__isnull=True)
        elif value == "handled":
            asked &= Q(support_handled_at__isnull=False)
        return queryset.filter(asked)


class FollowUpAnswerFilter(_FollowUpAnswerFilter):
    """The answers of every cohort the user reaches, found by listener and cohort as well."""

    q = Search(
        label=_("listener"),
        fields=(
            "enrolment__listener__user__last_name",
            "enrolment__listener__user__first_name",
            "enrolment__listener__user__middle_name",
        ),
    )
    cohort = django_filters.CharFilter(
        label=_("cohort code"), field_name="enrolment__cohort__code", lookup_expr="icontains", max_length=50
    )


class CohortFollowUpAnswerFilter(_FollowUpAnswerFilter):
    """The answers of one cohort, of one of its listeners as well (chosen among those the list holds)."""

    listener = _ListenerFilter(label=_("listener"), queryset=None, field_name="enrolment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["listener"].queryset = (
            Enrolment.objects.filter(pk__in=self.queryset.values("enrolment_id"))
            .select_related("listener__user")
            .order_by("listener__user__last_name", "listener__user__first_name", "pk")
        )
