"""The filters of the certificates' lists (``ziat.listing``)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enrolment.enums import Region, RequestStatus
from enrolment.models import Cohort, Partner, RequestedTeacher
from programs.models import Program
from ziat.listing import CodeChoice, FilterSet, Search

from .enums import CertificateState
from .forms import ReferencePeriodForm
from .models import CertificateDuplicate


class InternshipFilter(FilterSet):
    """Listeners of TVET internship courses found by name or IIN, cohort and whether their certificate is issued."""

    q = Search(
        label=_("name or IIN"),
        fields=("listener__user__last_name", "listener__user__first_name", "listener__iin"),
    )
    cohort = django_filters.CharFilter(
        label=_("cohort code"), field_name="cohort__code", lookup_expr="icontains", max_length=50
    )
    issued = django_filters.ChoiceFilter(
        label=_("Internship certificate"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        method="filter_issued",
    )

    def filter_issued(self, queryset, name, value):
        return queryset.filter(internship__certificate__isnull=value == "no")


def _date(label, lookup):
    return django_filters.DateFilter(
        label=label,
        field_name="issued_on",
        lookup_expr=lookup,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ReferenceFilter(FilterSet):
    """The register's entries found by number or holder, the period of issue and the cohort."""

    q = Search(label=_("number or holder"), fields=("registration_number", "holder_name"))
    date_from = _date(_("issued from"), "gte")
    date_to = _date(_("issued to"), "lte")
    cohort = django_filters.CharFilter(
        label=_("cohort code"), field_name="enrolment__cohort__code", lookup_expr="icontains", max_length=50
    )

    class Meta:
        form = ReferencePeriodForm


# ------------------------------------------------------------------------------- the register of certificates

DUPLICATE_ISSUED = "duplicate"
STATE_CHOICES = [*CertificateState.choices, (DUPLICATE_ISSUED, _("Duplicate issued"))]


class _RegisterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("issued_from"), data.get("issued_to")
        if start and end and start > end:
            self.add_error("issued_to", gettext("The end of the period is before its start."))
        return data


def requested_holders():
    """The accepted requests' teachers of the certificate's cohort who became its holder."""
    return RequestedTeacher.objects.filter(
        request__status=RequestStatus.ACCEPTED,
        request__cohort_id=OuterRef("enrolment__cohort_id"),
        listener_id=OuterRef("enrolment__listener_id"),
    )


def _state(state, today):
    current = Q(revoked_at__isnull=True, replaced_at__isnull=True)
    return {
        CertificateState.VALID: current & Q(valid_until__gte=today),
        CertificateState.EXPIRED: current & Q(valid_until__lt=today),
        CertificateState.REVOKED: Q(revoked_at__isnull=False),
        CertificateState.REPLACED: Q(revoked_at__isnull=True, replaced_at__isnull=False),
        DUPLICATE_ISSUED: Q(Exists(CertificateDuplicate.objects.filter(certificate_id=OuterRef("pk")))),
    }[state]


class RegisterFilter(FilterSet):
    """The register's filters (``ziat.listing``); the same ones choose what the export writes."""

    class Meta:
        form = _RegisterForm

    q = Search(label=_("number or holder"), fields=("registration_number", "holder_name"))
    issued_from = _date(_("issued from"), "gte")
    issued_to = _date(_("issued to"), "lte")
    program = django_filters.ModelChoiceFilter(
        label=_("program"),
        field_name="enrolment__cohort__program",
        queryset=Program.objects.filter(cohorts__isnull=False).distinct().order_by("pk"),
    )
    cohort = CodeChoice(
        label=_("cohort"),
        field_name="enrolment__cohort",
        queryset=Cohort.objects.order_by("-starts_on", "code"),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("organisation that sent the teacher"),
        queryset=Partner.objects.order_by("name"),
        method="filter_organisation",
    )
    region = django_filters.ChoiceFilter(label=_("region"), choices=Region.choices, method="filter_region")
    state = django_filters.ChoiceFilter(label=_("state"), choices=STATE_CHOICES, method="filter_state")

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(Exists(requested_holders().filter(request__partner=value)))

    def filter_region(self, queryset, name, value):
        return queryset.filter(
            Q(enrolment__listener__region=value) | Exists(requested_holders().filter(request__partner__region=value))
        )

    def filter_state(self, queryset, name, value):
        return queryset.filter(_state(value, timezone.localdate()))

    def plain(self):
        """The valid filters as plain text, to hand to the export's task."""
        data = self.form.cleaned_data
        return {key: self.data[key] for key in self.filters if self.data.get(key) and data.get(key)}
