"""Forms of the annual schedule: a cohort's terms, its groups and the placing of listeners in them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.enums import Language, ProgramStatus
from programs.models import Program

from ..enums import Funding
from ..models.core import MAX_CAPACITY, MAX_TEST_SCORE


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CohortForm(forms.Form):
    """The terms of a cohort; the program is chosen only when the cohort is created."""

    program = forms.ModelChoiceField(label=_("program"), queryset=Program.objects.none())
    code = forms.CharField(label=_("code"), max_length=50)
    language = forms.ChoiceField(label=_("language of instruction"), choices=Language.choices)
    funding = forms.ChoiceField(label=_("funding"), choices=Funding.choices)
    starts_on = forms.DateField(label=_("starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("ends on"), widget=DateInput())
    capacity = forms.IntegerField(label=_("capacity"), min_value=1, max_value=MAX_CAPACITY, initial=30)
    price = forms.DecimalField(
        label=_("price per listener, tenge"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Required for courses paid by the employer or by the listener."),
    )
    test_max_score = forms.IntegerField(
        label=_("final test: maximum score"), min_value=1, max_value=MAX_TEST_SCORE, initial=25
    )
    test_pass_score = forms.IntegerField(
        label=_("final test: pass mark"),
        min_value=0,
        max_value=MAX_TEST_SCORE,
        initial=17,
        help_text=_("At least half of the maximum score."),
    )

    def __init__(self, *args, with_program=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_program:
            # Only approved programs are offered; the service checks the methodical complex too.
            self.fields["program"].queryset = Program.objects.filter(
                status=ProgramStatus.APPROVED, approved_version__isnull=False
            ).order_by("title_ru", "title_kk")
        else:
            del self.fields["program"]

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The course cannot end before it starts."))
        if data.get("funding") and data["funding"] != Funding.STATE and data.get("price") is None:
            self.add_error("price", _("A paid course needs its price per listener (003 §6.4)."))
        top, pass_mark = data.get("test_max_score"), data.get("test_pass_score")
        if top and pass_mark is not None:
            if pass_mark > top:
                self.add_error("test_pass_score", _("The pass mark cannot exceed the maximum score."))
            elif pass_mark * 2 < top:
                self.add_error("test_pass_score", _("The pass mark cannot be below half of the maximum score."))
        return data

    def terms(self):
        """The cleaned terms as the services take them (without the program)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "program"}


class GroupForm(forms.Form):
    name = forms.CharField(label=_("group"), max_length=50)
    capacity = forms.IntegerField(label=_("capacity"), min_value=1, max_value=MAX_CAPACITY, initial=25)


class GroupAssignForm(forms.Form):
    """One choice of group per listener holding a seat: field ``group-<enrolment id>``."""

    def __init__(self, *args, enrolments, groups, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— no group —")), *((str(g.pk), g.name) for g in groups)]
        self.rows = []
        for enrolment in enrolments:
            name = f"group-{enrolment.pk}"
            self.fields[name] = forms.ChoiceField(
                label=str(enrolment.listener),
                choices=choices,
                required=False,
                initial=str(enrolment.group_id or ""),
            )
            self.rows.append((enrolment, name))

    def assignments(self):
        return {
            enrolment.pk: int(self.cleaned_data[name]) if self.cleaned_data.get(name) else None
            for enrolment, name in self.rows
        }

    def bound_rows(self):
        return [(enrolment, self[name]) for enrolment, name in self.rows]
