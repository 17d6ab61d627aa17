from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrolment.models import Cohort, Partner
from programs.models import Program
from ziat import access

from .selectors import Filters

FILTERS = ("ends_from", "ends_to", "program", "cohort", "trainer", "organisation")


class _CohortChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.code


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, read from the address (a GET form: the page can be bookmarked)."""

    ends_from = forms.DateField(
        label=gettext_lazy("courses ended from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_to = forms.DateField(
        label=gettext_lazy("courses ended to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    program = forms.ModelChoiceField(label=gettext_lazy("program"), queryset=Program.objects.none(), required=False)
    cohort = _CohortChoice(label=gettext_lazy("cohort"), queryset=Cohort.objects.none(), required=False)
    trainer = _PersonChoice(label=gettext_lazy("trainer"), queryset=get_user_model().objects.none(), required=False)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("organisation that sent the teachers"), queryset=Partner.objects.none(), required=False
    )

    def __init__(self, *args, user, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        cohorts = access.scope(user, Cohort.objects.all())
        if program is not None:
            del self.fields["program"]
            cohorts = cohorts.filter(program=program)
        else:
            self.fields["program"].queryset = Program.objects.filter(pk__in=cohorts.values("program_id")).order_by(
                "title_kk", "title_ru", "pk"
            )
        self.fields["cohort"].queryset = cohorts.order_by("-starts_on", "code")
        if access.centre_wide(user):
            self.fields["trainer"].queryset = (
                get_user_model().objects.filter(sessions__isnull=False).distinct().order_by("last_name", "first_name")
            )
            self.fields["organisation"].queryset = Partner.objects.order_by("name")
        else:
            # A trainer's selection is their own cohorts: other trainers and organisations are not theirs to list.
            del self.fields["trainer"]
            del self.fields["organisation"]

    def clean(self):
        data = super().clean()
        start, end = data.get("ends_from"), data.get("ends_to")
        if start and end and start > end:
            self.add_error("ends_to", _("The end of the period is before its start."))
        return data

    def filters(self, **fixed):
        data = dict(self.cleaned_data) if self.is_bound and self.is_valid() else {}
        data.update(fixed)
        return Filters.of(data)

    def plain(self):
        """The valid filters as plain text, for an export's task."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: self.data[key] for key in FILTERS if self.data.get(key) and self.cleaned_data.get(key)}


class ReviewPeriodForm(forms.Form):
    """The period an effectiveness review covers: the courses that ended in it."""

    period_from = forms.DateField(label=gettext_lazy("period from"), widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label=gettext_lazy("period to"), widget=forms.DateInput(attrs={"type": "date"}))


class ReviewConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label=gettext_lazy("conclusion"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    measures = forms.CharField(
        label=gettext_lazy("measures decided"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
