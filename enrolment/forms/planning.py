"""Forms of the planning chain: the teacher's application, the heads' decisions, plans, agreements, orders."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import ORGANISATION_KINDS, PartnerKind
from ..models import Partner, PlanApplication, ScheduleAgreement

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanApplicationForm(forms.ModelForm):
    """001 App. 1 (and App. 2 with the country and term of a course abroad)."""

    organisation = forms.ModelChoiceField(
        label=_("organisation where you work"),
        queryset=Partner.objects.filter(kind__in=ORGANISATION_KINDS).order_by("name"),
    )

    class Meta:
        model = PlanApplication
        fields = [
            "organisation",
            "last_name",
            "first_name",
            "middle_name",
            "iin",
            "birth_date",
            "position",
            "subject",
            "language",
            "topic",
            "abroad",
            "country",
            "abroad_term",
        ]
        widgets = {"birth_date": DATE}

    def validate_unique(self):
        """The service says when the teacher has already applied for the year."""

    def validate_constraints(self):
        """The service checks the rules of the form with their own messages (the database keeps them too)."""


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("Accept")), ("0", _("Decline"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("head's note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PerspectiveForm(forms.Form):
    perspective = forms.CharField(
        label=_("perspective plan of development"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class PlanUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ListCreateForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("course"), queryset=None)
    letter_number = forms.CharField(label=_("letter No."), max_length=100, required=False)

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts


class ReferralForm(forms.Form):
    issued_by = forms.ModelChoiceField(label=_("issued by"), queryset=None)
    number = forms.CharField(label=_("order No."), max_length=100)
    issued_on = forms.DateField(label=_("order date"), widget=DATE)
    file = forms.FileField(label=_("scan of the order"))

    def __init__(self, *args, issuers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_by"].queryset = issuers


class AgreementForm(forms.ModelForm):
    partner = forms.ModelChoiceField(
        label=_("agreed with"),
        queryset=Partner.objects.filter(kind__in=(PartnerKind.REGIONAL, PartnerKind.MINISTRY)).order_by("kind", "name"),
    )

    class Meta:
        model = ScheduleAgreement
        fields = ["partner", "places", "agreed_by_name", "agreed_on", "document"]
        widgets = {"agreed_on": DATE}

    def validate_unique(self):
        """An agreement recorded again replaces the earlier one (the service keeps both in the history)."""

    def validate_constraints(self):
        """The service checks the agreement's rules."""


class LetterOrderForm(forms.Form):
    number = forms.CharField(label=_("order No."), max_length=50)
    issued_on = forms.DateField(label=_("order date"), widget=DATE)
    responsible = forms.CharField(label=_("responsible persons"), max_length=300)
