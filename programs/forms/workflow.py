from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import ComplexPart, Conclusion, FormOfStudy, Language


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _today():
    return timezone.localdate()


class ProgramCreateForm(forms.Form):
    title_kk = forms.CharField(label=_("title (Kazakh)"), max_length=500, required=False)
    title_ru = forms.CharField(label=_("title (Russian)"), max_length=500, required=False)
    form_of_study = forms.ChoiceField(label=_("form of study"), choices=FormOfStudy.choices)
    language = forms.ChoiceField(label=_("language of instruction"), choices=Language.choices)
    authors = forms.CharField(label=_("authors"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PublishForm(forms.Form):
    published_on = forms.DateField(label=_("published on"), initial=_today, widget=DateInput())


class SubmitForm(forms.Form):
    letter_number = forms.CharField(label=_("outgoing letter No."), max_length=100)
    submitted_on = forms.DateField(label=_("sent on"), initial=_today, widget=DateInput())


class ConclusionForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("conclusion"), choices=Conclusion.choices, widget=forms.RadioSelect)
    concluded_on = forms.DateField(label=_("conclusion received on"), initial=_today, widget=DateInput())
    conclusion_number = forms.CharField(label=_("conclusion letter No."), max_length=100, required=False)
    letter = forms.FileField(label=_("scanned letter (PDF, JPEG or PNG)"), required=False)
    remarks = forms.CharField(
        label=_("remarks, one per line"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def remark_list(self):
        return [line.strip() for line in self.cleaned_data.get("remarks", "").splitlines() if line.strip()]


class RemarkAnswerForm(forms.Form):
    answer = forms.CharField(label=_("how it was addressed"), widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    order_number = forms.CharField(label=_("approval order No."), max_length=50)
    approved_on = forms.DateField(label=_("order date"), initial=_today, widget=DateInput())


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ComplexItemForm(forms.Form):
    part = forms.ChoiceField(label=_("part"), choices=ComplexPart.choices)
    title = forms.CharField(label=_("title"), max_length=300)
    file = forms.FileField(label=_("file"), required=False)
    url = forms.URLField(label=_("link"), required=False, assume_scheme="https")


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=300, required=False)
    email = forms.EmailField(
        label=_("E-mail (not published)"), required=False, help_text=_("Only the centre's staff see it.")
    )
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    token = forms.CharField(widget=forms.HiddenInput)


class CommentDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("decision"),
        choices=[("accepted", _("Accepted")), ("rejected", _("Rejected"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
    reply = forms.CharField(label=_("public reply"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SummaryForm(forms.Form):
    summary = forms.CharField(label=_("summary of the discussion"), widget=forms.Textarea(attrs={"rows": 5}))
