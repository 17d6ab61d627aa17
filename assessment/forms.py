"""Forms of the assessment's staff pages: the test bank and the assessment rules, a cohort's tests,
re-assessment and the external final assessment (the services check every rule again)."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import ModuleGradeRule, TestKind
from .models import BankVersion
from .selectors import banks_of
from .services.scheme import MAX_CRITERIA

# ------------------------------------------------------------------------------ the test bank and the rules


class BankImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=BankVersion._meta.get_field("note").max_length,
        required=False,
        help_text=gettext_lazy("What changed in this version, for the record."),
    )


class SchemeForm(forms.Form):
    has_project = forms.BooleanField(label=gettext_lazy("A project work is scored by the rubric"), required=False)
    pass_from = forms.IntegerField(label=gettext_lazy("“satisfactory” from"), min_value=0, max_value=10000)
    good_from = forms.IntegerField(label=gettext_lazy("“good” from"), min_value=0, max_value=10000)
    excellent_from = forms.IntegerField(label=gettext_lazy("“excellent” from"), min_value=0, max_value=10000)
    module_grade_rule = forms.ChoiceField(
        label=gettext_lazy("Module grades of the appendix"), choices=ModuleGradeRule.choices, widget=forms.RadioSelect
    )


class CriterionForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name_kk = forms.CharField(label=gettext_lazy("Criterion (Kazakh)"), max_length=300, required=False)
    name_ru = forms.CharField(label=gettext_lazy("Criterion (Russian)"), max_length=300, required=False)
    description_kk = forms.CharField(
        label=gettext_lazy("Description (Kazakh)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    description_ru = forms.CharField(
        label=gettext_lazy("Description (Russian)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    max_points = forms.IntegerField(label=gettext_lazy("Maximum points"), min_value=1, max_value=100, required=False)
    delete = forms.BooleanField(label=gettext_lazy("Remove"), required=False)


def criterion_formset(extra=1):
    """The rubric's rows: the saved criteria and ``extra`` empty rows (five for a new rubric, as in 004 §8)."""
    return formset_factory(CriterionForm, extra=extra, max_num=MAX_CRITERIA, validate_max=True)


# ------------------------------------------------------------------------------ a cohort's tests


DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _datetime_field(label):
    return forms.DateTimeField(label=label, widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT])


class CohortTestForm(forms.Form):
    """A cohort's test: what it draws and when; the rules are the service's (``cohort_test_save``)."""

    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=TestKind.choices)
    title = forms.CharField(label=gettext_lazy("title"), max_length=200, required=False)
    bank = forms.ModelChoiceField(
        label=gettext_lazy("test bank version"), queryset=BankVersion.objects.none(), empty_label=None
    )
    time_limit_minutes = forms.IntegerField(
        label=gettext_lazy("time limit, minutes"), min_value=1, max_value=600, initial=40
    )
    opens_at = _datetime_field(gettext_lazy("opens at"))
    closes_at = _datetime_field(gettext_lazy("closes at"))
    shuffle_questions = forms.BooleanField(label=gettext_lazy("shuffle the questions"), required=False, initial=True)
    good_from = forms.IntegerField(
        label=gettext_lazy("“good” from"),
        required=False,
        min_value=0,
        max_value=10000,
        help_text=gettext_lazy("Final test only: points from which the grade is “good”."),
    )
    excellent_from = forms.IntegerField(
        label=gettext_lazy("“excellent” from"),
        required=False,
        min_value=0,
        max_value=10000,
        help_text=gettext_lazy("Final test only: points from which the grade is “excellent”."),
    )

    def __init__(self, *args, cohort, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = banks_of(cohort.program)
        self.fields["bank"].label_from_instance = lambda b: (
            _("version %(number)s (%(count)s questions)")
            % {
                "number": b.number,
                "count": b.question_count,
            }
        )
        self.modules = modules
        for m in modules:
            self.fields[f"draw-{m.position}"] = forms.IntegerField(
                label=_("Module %(number)s. %(title)s") % {"number": m.position, "title": m.title},
                required=False,
                min_value=0,
                max_value=1000,
            )

    def draw_fields(self):
        return [self[f"draw-{m.position}"] for m in self.modules]

    def main_fields(self):
        return [f for f in self if not f.name.startswith("draw-")]

    def draw(self):
        """The counts typed per module; a blank or 0 draws nothing from that module."""
        counts = {}
        for m in self.modules:
            value = self.cleaned_data.get(f"draw-{m.position}")
            if value not in (None, 0):
                counts[str(m.position)] = value
        return counts

    def values(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "bank": data["bank"],
            "draw": self.draw(),
            "time_limit_minutes": data["time_limit_minutes"],
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "shuffle_questions": data["shuffle_questions"],
            "good_from": data["good_from"],
            "excellent_from": data["excellent_from"],
        }


class ReassessmentForm(forms.Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("re-assessment"),
        widget=forms.RadioSelect,
    )
    opens_at = _datetime_field(gettext_lazy("opens at"))
    closes_at = _datetime_field(gettext_lazy("closes at"))
    reason = forms.CharField(label=gettext_lazy("basis"), max_length=500, required=False)

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(option_choice(o), o.label) for o in options]


def option_choice(option):
    return "next" if option.with_next_cohort else "own"


# ------------------------------------------------------------------------------ the external final assessment


class ExternalForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    assessor = forms.CharField(label=gettext_lazy("Assessed by"), max_length=300)
    result = forms.CharField(label=gettext_lazy("Result"), max_length=300)
    passed = forms.BooleanField(label=gettext_lazy("Passed"), required=False)
    document = forms.FileField(label=gettext_lazy("Document (PDF or a scan)"), required=False)
