"""The filters of the enrolment lists (``ziat.listing``): the public and the staff schedule, applications,
partners' requests, listeners and trainers. Each narrows a queryset that the list's view has already scoped."""

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from programs.enums import FormOfStudy, Language
from programs.models import Program
from ziat.listing import CodeChoice, FilterSet, Search

from .enums import AcademicDegree, Funding, Region, RequestStatus, TrainerCategory, TrainerKind


def _date(label, field_name, lookup):
    return django_filters.DateFilter(
        label=label,
        field_name=field_name,
        lookup_expr=lookup,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class _ProgramChoice(django_filters.ModelChoiceFilter):
    """A program among those that have cohorts (the choice offered is never wider than the list)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("program"))
        kwargs.setdefault("queryset", Program.objects.filter(cohorts__isnull=False).distinct().order_by("pk"))
        super().__init__(**kwargs)


class PublicScheduleFilter(FilterSet):
    q = Search(label=_("program or code"), fields=("program__title_kk", "program__title_ru", "code"))
    language = django_filters.ChoiceFilter(label=_("language of instruction"), choices=Language.choices)
    form_of_study = django_filters.ChoiceFilter(
        label=_("form of study"), field_name="program__form_of_study", choices=FormOfStudy.choices
    )
    funding = django_filters.ChoiceFilter(label=_("funding"), choices=Funding.choices)
    starts_from = _date(_("starts from"), "starts_on", "gte")
    starts_to = _date(_("starts by"), "starts_on", "lte")
    seats = django_filters.ChoiceFilter(
        label=_("seats"), choices=[("left", _("with seats left"))], method="filter_seats"
    )

    def filter_seats(self, queryset, name, value):
        return queryset.filter(seats_left__gt=0) if value == "left" else queryset


class ScheduleFilter(PublicScheduleFilter):
    program = _ProgramChoice(field_name="program")
    seats = django_filters.ChoiceFilter(
        label=_("seats"),
        choices=[("left", _("with seats left")), ("full", _("no seats left"))],
        method="filter_seats",
    )
    published = django_filters.ChoiceFilter(
        label=_("open for applications"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        method="filter_published",
    )

    def filter_seats(self, queryset, name, value):
        if value == "full":
            return queryset.filter(seats_left__lte=0)
        return super().filter_seats(queryset, name, value)

    def filter_published(self, queryset, name, value):
        return queryset.filter(is_published=value == "yes")


class ApplicationFilter(FilterSet):
    q = Search(
        label=_("name or IIN"),
        fields=(
            "listener__user__last_name",
            "listener__user__first_name",
            "listener__user__middle_name",
            "listener__iin",
        ),
    )
    cohort = django_filters.CharFilter(label=_("cohort code"), field_name="cohort__code", lookup_expr="icontains")
    program = _ProgramChoice(field_name="cohort__program")
    funding = django_filters.ChoiceFilter(label=_("funding"), choices=Funding.choices)


class RequestFilter(FilterSet):
    q = Search(label=_("organisation or cohort"), fields=("partner__name", "cohort__code"))
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=[(v, label) for v, label in RequestStatus.choices if v != RequestStatus.DRAFT]
    )
    region = django_filters.ChoiceFilter(label=_("region"), field_name="partner__region", choices=Region.choices)
    program = _ProgramChoice(field_name="cohort__program")


class ListenerFilter(FilterSet):
    q = Search(
        label=_("name or IIN"),
        fields=("user__last_name", "user__first_name", "user__middle_name", "iin"),
    )
    region = django_filters.ChoiceFilter(label=_("region"), choices=Region.choices)
    workplace = django_filters.CharFilter(label=_("workplace"), lookup_expr="icontains", max_length=200)
    cohort = django_filters.CharFilter(label=_("cohort code"), method="filter_cohort", max_length=50)

    def filter_cohort(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(pk__in=queryset.model.objects.filter(enrolments__cohort__code__icontains=value)))


_YES_NO = [("1", _("yes")), ("0", _("no"))]


class TrainerFilter(FilterSet):
    q = Search(
        label=_("Search"),
        fields=("user__last_name", "user__first_name", "user__middle_name", "user__username", "profile"),
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=TrainerKind.choices)
    degree = django_filters.ChoiceFilter(
        label=_("academic degree"), field_name="academic_degree", choices=AcademicDegree.choices
    )
    category = django_filters.ChoiceFilter(label=_("qualification category"), choices=TrainerCategory.choices)
    active = django_filters.ChoiceFilter(label=_("active"), choices=_YES_NO, method="filter_yes_no")
    counts = django_filters.ChoiceFilter(label=_("counts towards 40%"), choices=_YES_NO, method="filter_yes_no")

    def filter_yes_no(self, queryset, name, value):
        return queryset.filter(**{"is_active" if name == "active" else name: value == "1"})


class MailingFilter(FilterSet):
    """The sendings of a cohort's messages page."""

    q = Search(label=_("subject or text"), fields=("subject", "body"))


class InvoiceFilter(FilterSet):
    """The accountant's invoices: by number, payer or contract, cohort, kind of payer and what is owed."""

    q = Search(
        label=_("invoice, contract or payer"),
        fields=(
            "number",
            "contract__number",
            "request__partner__name",
            "contract__enrolment__listener__user__last_name",
            "contract__enrolment__listener__user__first_name",
            "contract__enrolment__listener__iin",
        ),
    )
    cohort = CodeChoice(label=_("cohort"), queryset=None, field_name="cohort")
    payer = django_filters.ChoiceFilter(
        label=_("invoiced to"),
        choices=[("listener", _("listener")), ("organisation", _("organisation"))],
        method="filter_payer",
    )
    state = django_filters.ChoiceFilter(
        label=_("payment"),
        choices=[("owing", _("balance to pay")), ("paid", _("paid in full"))],
        method="filter_state",
    )

    def __init__(self, *args, **kwargs):
        from .models import Cohort

        super().__init__(*args, **kwargs)
        field = self.form.fields["cohort"]
        # Every cohort: the cohort's page links here whether or not it has been invoiced yet.
        field.queryset = Cohort.objects.order_by("-starts_on", "code")

    def filter_payer(self, queryset, name, value):
        return queryset.filter(contract__isnull=value != "listener")

    def filter_state(self, queryset, name, value):
        owing = Q(amount__gt=F("paid"))
        return queryset.filter(owing if value == "owing" else ~owing)
