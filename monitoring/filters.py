"""The filters of the monitoring's pages (``ziat.listing``).

The monitoring's selection of cohorts (000 §4.5): the period in which the courses ended, a program, a cohort,
a trainer, and the organisation that sent the teachers (through accepted requests), read from the address by a
``django_filters.FilterSet`` so that a selection can be bookmarked, and narrowed to the cohorts the user reaches
(``ziat.access.scope``): a trainer selects among their own cohorts and sees no other trainer or organisation.
The schedule of effectiveness reviews, the cohorts' self-analyses and the NOBD deadlines have their lists' filters."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrolment.enums import RequestStatus
from enrolment.models import Cohort, Partner, RequestedTeacher, Session
from programs.models import Program
from ziat import access
from ziat.listing import CodeChoice, FilterSet, Search

DATE = forms.DateInput(attrs={"type": "date"})


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class _PersonFilter(django_filters.ModelChoiceFilter):
    field_class = _PersonChoice


class _SelectionForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("ends_from"), data.get("ends_to")
        if start and end and start > end:
            self.add_error("ends_to", _("The end of the period is before its start."))
        return data


class CohortSelection(FilterSet):
    """The cohorts of the monitoring's figures; ``program`` fixes the program (a program's own page)."""

    ends_from = django_filters.DateFilter(
        field_name="ends_on", lookup_expr="gte", label=gettext_lazy("courses ended from"), widget=DATE
    )
    ends_to = django_filters.DateFilter(
        field_name="ends_on", lookup_expr="lte", label=gettext_lazy("courses ended to"), widget=DATE
    )
    program = django_filters.ModelChoiceFilter(label=gettext_lazy("program"), queryset=Program.objects.none())
    cohort = CodeChoice(label=gettext_lazy("cohort"), queryset=Cohort.objects.none(), method="_the_cohort")
    trainer = _PersonFilter(
        label=gettext_lazy("trainer"), queryset=get_user_model().objects.none(), method="_taught_by"
    )
    organisation = django_filters.ModelChoiceFilter(
        label=gettext_lazy("organisation that sent the teachers"), queryset=Partner.objects.none(), method="_sent_by"
    )

    class Meta:
        model = Cohort
        fields = []
        form = _SelectionForm

    def __init__(self, data=None, *, user, program=None):
        cohorts = access.scope(user, Cohort.objects.all()).select_related("program")
        if program is not None:
            cohorts = cohorts.filter(program=program)
        super().__init__(data, queryset=cohorts)
        self.user, self.program = user, program
        fields = self.form.fields
        if program is not None:
            del self.filters["program"], fields["program"]
        else:
            fields["program"].queryset = Program.objects.filter(pk__in=cohorts.values("program_id")).order_by(
                "title_kk", "title_ru", "pk"
            )
        fields["cohort"].queryset = cohorts.order_by("-starts_on", "code")
        if access.centre_wide(user):
            fields["trainer"].queryset = (
                get_user_model().objects.filter(sessions__isnull=False).distinct().order_by("last_name", "first_name")
            )
            fields["organisation"].queryset = Partner.objects.order_by("name")
        else:
            # A trainer's selection is their own cohorts: other trainers and organisations are not theirs to list.
            for name in ("trainer", "organisation"):
                del self.filters[name], fields[name]

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).order_by("-ends_on", "code")

    @property
    def sent_by(self):
        """The organisation whose teachers the listeners' figures are of, when one is chosen."""
        return self.form.cleaned_data.get("organisation") if self.is_valid() else None

    def plain(self):
        """The valid filters as plain text, for an export's task."""
        if not self.is_valid():
            return {}
        return {key: self.data[key] for key in self.filters if self.data.get(key) and self.form.cleaned_data.get(key)}

    def _the_cohort(self, queryset, name, value):
        return queryset.filter(pk=value.pk)

    def _taught_by(self, queryset, name, value):
        return queryset.filter(Exists(Session.objects.filter(cohort_id=OuterRef("pk"), trainer=value)))

    def _sent_by(self, queryset, name, value):
        accepted = RequestedTeacher.objects.filter(
            request__partner=value,
            request__status=RequestStatus.ACCEPTED,
            request__cohort_id=OuterRef("pk"),
            listener__isnull=False,
        )
        return queryset.filter(Exists(accepted))


# ------------------------------------------------------------------------------- the schedule of reviews

REVIEW_OVERDUE, REVIEW_DUE_SOON, REVIEW_IN_PROGRESS = "overdue", "soon", "open"
REVIEW_DUE_CHOICES = [
    (REVIEW_OVERDUE, gettext_lazy("overdue")),
    (REVIEW_DUE_SOON, gettext_lazy("due within 90 days")),
    (REVIEW_IN_PROGRESS, gettext_lazy("review in progress")),
]


class ReviewScheduleFilter(FilterSet):
    """The schedule's programs found by title, and by what their review's due date says (worked out on the
    schedule's rows: ``schedule_rows``)."""

    q = Search(label=gettext_lazy("program"), fields=("title_kk", "title_ru"))
    due = django_filters.ChoiceFilter(label=gettext_lazy("review"), choices=REVIEW_DUE_CHOICES, method="filter_due")

    def filter_due(self, queryset, name, value):
        return queryset  # the due date is worked out per row: ``schedule_rows`` keeps the matching ones


# ------------------------------------------------------------------------------- the self-analyses

_YES_NO = [("yes", gettext_lazy("yes")), ("no", gettext_lazy("no"))]


class SelfAnalysisCohortFilter(FilterSet):
    """The ended cohorts found by code, program, the days they ended and whether the user has written theirs."""

    cohort = django_filters.CharFilter(
        label=gettext_lazy("cohort code"), field_name="code", lookup_expr="icontains", max_length=50
    )
    program = Search(label=gettext_lazy("program"), fields=("program__title_kk", "program__title_ru"))
    ended_from = django_filters.DateFilter(
        label=gettext_lazy("course ended from"),
        field_name="ends_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    mine = django_filters.ChoiceFilter(label=gettext_lazy("mine written"), choices=_YES_NO, method="filter_mine")

    def filter_mine(self, queryset, name, value):
        return queryset.filter(mine=value == "yes")


# ------------------------------------------------------------------------------- the NOBD deadlines

NOBD_DUE, NOBD_OVERDUE, NOBD_CONFIRMED = "due", "overdue", "confirmed"
NOBD_STATE_CHOICES = [
    (NOBD_DUE, gettext_lazy("due")),
    (NOBD_OVERDUE, gettext_lazy("overdue")),
    (NOBD_CONFIRMED, gettext_lazy("confirmed")),
]


def _ended(label, lookup):
    return django_filters.DateFilter(
        label=label,
        field_name="cohort__ends_on",
        lookup_expr=lookup,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class NobdFilter(FilterSet):
    """The deadlines by state, program, cohort and the days their courses ended (``ziat.listing``)."""

    state = django_filters.ChoiceFilter(label=gettext_lazy("state"), choices=NOBD_STATE_CHOICES, method="filter_state")
    program = django_filters.ModelChoiceFilter(
        label=gettext_lazy("program"),
        field_name="cohort__program",
        queryset=Program.objects.filter(cohorts__isnull=False).distinct().order_by("pk"),
    )
    cohort = django_filters.CharFilter(
        label=gettext_lazy("cohort code"), field_name="cohort__code", lookup_expr="icontains", max_length=50
    )
    ended_from = _ended(gettext_lazy("course ended from"), "gte")
    ended_to = _ended(gettext_lazy("course ended to"), "lte")

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(
            {
                NOBD_DUE: Q(confirmed_at__isnull=True, due_on__gte=today),
                NOBD_OVERDUE: Q(confirmed_at__isnull=True, due_on__lt=today),
                NOBD_CONFIRMED: Q(confirmed_at__isnull=False),
            }[value]
        )
