"""Forms of the needs analysis and the development order (000 §2.3-2.6).

The forms only parse what was typed; the rules (titles, options, duplicate numbers, deadlines, what a
respondent may choose) are checked by the services, which give the messages.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import CouncilDecision, FormOfStudy, Language, QuestionKind
from ..models import CouncilMinutes, LegislationReview, NeedsSurvey
from .workflow import DateInput


def _today():
    return timezone.localdate()


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class SurveyForm(forms.Form):
    title_kk = forms.CharField(label=_("title (Kazakh)"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("title (Russian)"), max_length=300, required=False)
    intro_kk = forms.CharField(label=_("introduction (Kazakh)"), widget=_textarea(), required=False)
    intro_ru = forms.CharField(label=_("introduction (Russian)"), widget=_textarea(), required=False)

    @classmethod
    def for_survey(cls, survey, data=None):
        initial = {f: getattr(survey, f) for f in ("title_kk", "title_ru", "intro_kk", "intro_ru")}
        return cls(data, initial=initial)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=QuestionKind.choices)
    text_kk = forms.CharField(label=_("question (Kazakh)"), max_length=500, required=False)
    text_ru = forms.CharField(label=_("question (Russian)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("required"), required=False, initial=True)
    options_kk = forms.CharField(
        label=_("options in Kazakh, one per line"),
        widget=_textarea(5),
        required=False,
        help_text=_("For a choice question; the lines in Kazakh and in Russian go in the same order."),
    )
    options_ru = forms.CharField(label=_("options in Russian, one per line"), widget=_textarea(5), required=False)

    def clean(self):
        data = super().clean()
        kk = [line.strip() for line in data.get("options_kk", "").splitlines() if line.strip()]
        ru = [line.strip() for line in data.get("options_ru", "").splitlines() if line.strip()]
        if kk and ru and len(kk) != len(ru):
            raise forms.ValidationError(
                _("Give the same number of options in Kazakh and in Russian, one per line in the same order.")
            )
        size = max(len(kk), len(ru))
        kk += [""] * (size - len(kk))
        ru += [""] * (size - len(ru))
        data["options"] = list(zip(kk, ru, strict=True))
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text_kk": data["text_kk"],
            "text_ru": data["text_ru"],
            "required": data["required"],
            "options": data["options"],
        }

    @classmethod
    def for_question(cls, question, data=None):
        options = list(question.options.order_by("position"))
        initial = {
            "kind": question.kind,
            "text_kk": question.text_kk,
            "text_ru": question.text_ru,
            "required": question.required,
            "options_kk": "\n".join(o.text_kk for o in options),
            "options_ru": "\n".join(o.text_ru for o in options),
        }
        return cls(data, initial=initial)


class RadioSelectList(forms.RadioSelect):
    """Radio buttons that report every value sent, so that a second value is noticed, not dropped."""

    allow_multiple_selected = True


class OptionIdsField(forms.MultipleChoiceField):
    """Option ids as integers; whether they belong to the question is the service's check."""

    def validate(self, value):
        pass

    def clean(self, value):
        value = super().clean(value)
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Choose one of the options given.")) from None


class SurveyAnswerForm(forms.Form):
    """The public form of a survey: one field per question, in the visitor's language."""

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            label = f"{question.position}. {question.text}"
            if question.kind == QuestionKind.TEXT:
                field = forms.CharField(label=label, widget=_textarea(3), required=False, max_length=5000)
            else:
                widget = RadioSelectList if question.kind == QuestionKind.SINGLE else forms.CheckboxSelectMultiple
                field = OptionIdsField(
                    label=label,
                    choices=[(o.pk, o.text) for o in question.options.all()],
                    widget=widget,
                    required=False,
                )
            field.question = question
            self.fields[self.field_name(question)] = field

    @staticmethod
    def field_name(question):
        return f"q{question.pk}"

    def answers(self):
        """{question id: list of option ids or text} for the service."""
        return {q.pk: self.cleaned_data.get(self.field_name(q)) for q in self.questions}


class LegislationReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("date"), initial=_today, widget=DateInput())
    act = forms.CharField(label=_("act"), max_length=500)
    summary = forms.CharField(label=_("what changes for programs"), widget=_textarea(5))

    @classmethod
    def for_review(cls, review, data=None):
        return cls(data, initial={"reviewed_on": review.reviewed_on, "act": review.act, "summary": review.summary})


class CouncilMinutesForm(forms.Form):
    number = forms.CharField(label=_("minutes No."), max_length=50)
    held_on = forms.DateField(label=_("date"), initial=_today, widget=DateInput())
    attendees = forms.CharField(label=_("attendees"), widget=_textarea(3))
    agenda = forms.CharField(label=_("agenda"), widget=_textarea(3), required=False)
    proposed_title = forms.CharField(label=_("proposed program"), max_length=500)
    decision = forms.ChoiceField(label=_("decision"), choices=CouncilDecision.choices, widget=forms.RadioSelect)
    recommendation = forms.CharField(label=_("recommendation"), widget=_textarea(3), required=False)
    surveys = forms.ModelMultipleChoiceField(
        label=_("survey results"),
        queryset=NeedsSurvey.objects.order_by("-created_at"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reviews = forms.ModelMultipleChoiceField(
        label=_("legislation reviews"),
        queryset=LegislationReview.objects.order_by("-reviewed_on"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    FIELDS = ("number", "held_on", "attendees", "agenda", "proposed_title", "decision", "recommendation")

    @classmethod
    def for_minutes(cls, minutes, data=None):
        initial = {f: getattr(minutes, f) for f in cls.FIELDS}
        initial["surveys"] = list(minutes.surveys.values_list("pk", flat=True))
        initial["reviews"] = list(minutes.reviews.values_list("pk", flat=True))
        return cls(data, initial=initial)


class MinutesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} — {obj.proposed_title}"


class DevelopmentOrderForm(forms.Form):
    number = forms.CharField(label=_("order No."), max_length=50)
    issued_on = forms.DateField(label=_("date"), initial=_today, widget=DateInput())
    minutes = MinutesChoiceField(
        label=_("council minutes"),
        queryset=CouncilMinutes.objects.filter(decision=CouncilDecision.DEVELOP).order_by("-held_on"),
        required=False,
    )
    title_kk = forms.CharField(label=_("title (Kazakh)"), max_length=500, required=False)
    title_ru = forms.CharField(label=_("title (Russian)"), max_length=500, required=False)
    hours = forms.IntegerField(label=_("duration, academic hours"), min_value=1, max_value=2000)
    form_of_study = forms.ChoiceField(label=_("form of study"), choices=FormOfStudy.choices)
    language = forms.ChoiceField(label=_("language of instruction"), choices=Language.choices)
    authors = forms.CharField(label=_("authors"), widget=_textarea(2))
    deadline = forms.DateField(label=_("deadline"), widget=DateInput())
