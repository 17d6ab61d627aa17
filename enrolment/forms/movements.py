"""Forms of a listener's moves: transfer, interruption, resumption (000 §3.10) and expulsion (001 §32)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Cohort, Partner
from .schedule import DateInput


def _today():
    return timezone.localdate()


class _MoveForm(forms.Form):
    on = forms.DateField(label=_("date"), initial=_today, widget=DateInput())
    reason = forms.CharField(label=_("valid reason"), widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.FileField(label=_("supporting document (PDF, JPEG or PNG)"))


class _ToCohortForm(_MoveForm):
    to_cohort = forms.ModelChoiceField(label=_("to cohort"), queryset=Cohort.objects.none())

    field_order = ["to_cohort", "on", "reason", "document"]

    def __init__(self, *args, enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        # Cohorts of the same program that have not ended; the service checks the rest (year, seats).
        self.fields["to_cohort"].queryset = (
            Cohort.objects.filter(program_id=enrolment.cohort.program_id, ends_on__gte=_today())
            .select_related("program")
            .order_by("starts_on", "code")
        )
        self.fields["to_cohort"].label_from_instance = lambda c: (
            f"{c.code} · {c.starts_on:%d.%m.%Y}–{c.ends_on:%d.%m.%Y} · {c.get_language_display()}"
        )


class TransferForm(_ToCohortForm):
    def __init__(self, *args, enrolment, **kwargs):
        super().__init__(*args, enrolment=enrolment, **kwargs)
        self.fields["to_cohort"].queryset = self.fields["to_cohort"].queryset.exclude(pk=enrolment.cohort_id)


class InterruptForm(_MoveForm):
    pass


class ResumeForm(_ToCohortForm):
    pass


class ExpelForm(forms.Form):
    reason = forms.CharField(label=_("breach of the training contract"), widget=forms.Textarea(attrs={"rows": 3}))
    commission_decision = forms.CharField(
        label=_("commission's decision (No., date)"),
        max_length=200,
        help_text=_("The commission on listeners' applications decides before the order (001 §32)."),
    )
    order_number = forms.CharField(label=_("order No."), max_length=50)
    order_date = forms.DateField(label=_("order date"), initial=_today, widget=DateInput())
    employer = forms.ModelChoiceField(
        label=_("employer"),
        queryset=Partner.objects.order_by("name"),
        required=False,
        help_text=_("A school or department known to the centre, or type the employer below."),
    )
    employer_name = forms.CharField(label=_("employer (if not in the list)"), max_length=300, required=False)
    employer_email = forms.EmailField(label=_("employer's e-mail"), required=False)

    def __init__(self, *args, listener=None, **kwargs):
        super().__init__(*args, **kwargs)
        if listener is not None and listener.workplace and not self.is_bound:
            self.fields["employer_name"].initial = listener.workplace

    def clean(self):
        data = super().clean()
        if not data.get("employer") and not (data.get("employer_name") or "").strip():
            self.add_error("employer_name", _("Choose the employer or type its name."))
        return data
