"""Forms of the post-course support's pages (the services check every rule again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Program
from ziat.forms import EMPTY_CHOICE

from .enums import Applying, ConsultationKind, EventKind, SupportForm

DATE = {"type": "date"}
DATETIME = {"type": "datetime-local"}


def refusal_to_form(form, error):
    """Show a service's refusal (``DomainError``) beside the field it names, else above the form."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error.message)


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ActivityForm(forms.Form):
    form = forms.ChoiceField(label=_("form of support"), choices=SupportForm.choices)
    title = forms.CharField(label=_("activity"), max_length=300)
    expected_result = forms.ChoiceField(label=_("expected result of the program it serves"), required=False)
    planned_on = forms.DateField(label=_("planned on"), widget=forms.DateInput(attrs=DATE))
    responsible = _UserChoice(label=_("responsible trainer"), queryset=None)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, results, responsible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_result"].choices = [EMPTY_CHOICE] + [(r, r) for r in results]
        self.fields["expected_result"].required = bool(results)
        self.fields["responsible"].queryset = responsible


class ActivityChangeForm(ActivityForm):
    """The terms of a planned activity (its note is the held or cancelled mark's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]


class HeldForm(forms.Form):
    held_on = forms.DateField(label=_("held on"), widget=forms.DateInput(attrs=DATE))
    participants = forms.IntegerField(label=_("participants"), min_value=0)
    note = forms.CharField(label=_("note"), required=False, max_length=1000)


class CancelForm(forms.Form):
    note = forms.CharField(label=_("reason"), max_length=1000)


class AskForm(forms.Form):
    kind = forms.ChoiceField(label=_("what do you need?"), choices=ConsultationKind.choices)
    subject = forms.CharField(label=_("subject"), max_length=300)
    text = forms.CharField(label=_("your question"), widget=forms.Textarea(attrs={"rows": 5}))
    preferred_time = forms.CharField(label=_("preferred time of the meeting"), max_length=200, required=False)


class MessageForm(forms.Form):
    text = forms.CharField(label=_("message"), widget=forms.Textarea(attrs={"rows": 4}))


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(label=_("meeting time"), widget=forms.DateTimeInput(attrs=DATETIME))
    place = forms.CharField(label=_("room or online link"), max_length=300)


class PublicationForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=500)
    venue = forms.CharField(label=_("journal, collection or site"), max_length=300, required=False)
    file = forms.FileField(label=_("draft (PDF or DOCX)"))


class RevisionForm(forms.Form):
    file = forms.FileField(label=_("revised draft (PDF or DOCX)"))
    text = forms.CharField(label=_("what has changed"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PublishedForm(forms.Form):
    journal = forms.CharField(label=_("journal, collection or site"), max_length=300)
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100)
    link = forms.URLField(label=_("link"), required=False, max_length=300)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=EventKind.choices)
    title_kk = forms.CharField(label=_("title (Kazakh)"), max_length=300)
    title_ru = forms.CharField(label=_("title (Russian)"), max_length=300)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_at = forms.DateTimeField(label=_("starts at"), widget=forms.DateTimeInput(attrs=DATETIME))
    place = forms.CharField(label=_("room or online link"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("places"), min_value=1, required=False)
    gives_certificate = forms.BooleanField(label=_("participants receive a certificate"), required=False)
    programs = forms.ModelMultipleChoiceField(
        label=_("programs (none: every program)"),
        queryset=Program.objects.filter(approved_version__isnull=False).order_by("pk"),
        required=False,
    )


class EventChangeForm(forms.Form):
    """What may change in an announced event (its kind and programs stay)."""

    title_kk = forms.CharField(label=_("title (Kazakh)"), max_length=300)
    title_ru = forms.CharField(label=_("title (Russian)"), max_length=300)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_at = forms.DateTimeField(
        label=_("starts at"), widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("room or online link"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("places"), min_value=1, required=False)
    gives_certificate = forms.BooleanField(label=_("participants receive a certificate"), required=False)

    def clean_starts_at(self):
        """The time as shown (to the minute) and sent back unchanged is the event's own, not a new one."""
        value = self.cleaned_data["starts_at"]
        current = self.initial.get("starts_at")
        if value is not None and current is not None and value == current.replace(second=0, microsecond=0):
            return current
        return value


class FollowUpForm(forms.Form):
    applying = forms.ChoiceField(
        label=_("How often do you apply what you learned?"),
        choices=Applying.choices,
        widget=forms.RadioSelect,
    )
    results_applied = forms.MultipleChoiceField(
        label=_("Which of the program's expected results have you applied?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    example = forms.CharField(
        label=_("An example from your practice"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    obstacles = forms.CharField(
        label=_("What gets in the way"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    wants_support = forms.BooleanField(label=_("I would like more support"), required=False)

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["results_applied"].choices = [(r, r) for r in results]
        if not results:
            del self.fields["results_applied"]


class SupportHandledForm(forms.Form):
    """A staff member marks a listener's request for more support handled, saying what was done."""

    note = forms.CharField(
        label=_("What was done (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ObservationForm(forms.Form):
    observed_on = forms.DateField(label=_("observed on"), widget=forms.DateInput(attrs={"type": "date"}))
    applying = forms.ChoiceField(
        label=_("How often the teacher applies it"), choices=Applying.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("What was observed"), widget=forms.Textarea(attrs={"rows": 5}))
