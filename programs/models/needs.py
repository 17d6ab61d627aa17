"""Needs analysis before a program (000 §2.3-2.6): surveys, legislation reviews, council minutes, orders."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ziat.models import localized

from ..enums import CouncilDecision, FormOfStudy, Language, QuestionKind


def survey_token():
    return secrets.token_urlsafe(12)


class NeedsSurvey(models.Model):
    """A survey of teachers' professional needs, answered by anyone with its link."""

    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    intro_kk = models.TextField(_("introduction (Kazakh)"), blank=True)
    intro_ru = models.TextField(_("introduction (Russian)"), blank=True)
    token = models.CharField(_("link code"), max_length=32, unique=True, default=survey_token, editable=False)
    is_open = models.BooleanField(_("open for answers"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("needs survey")
        verbose_name_plural = _("needs surveys")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title_kk="", title_ru=""), name="survey_has_a_title"),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return localized(self, "title")


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(NeedsSurvey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("No."))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text_kk = models.CharField(_("question (Kazakh)"), max_length=500, blank=True)
    text_ru = models.CharField(_("question (Russian)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="survey_question_position_unique"),
            models.CheckConstraint(condition=~models.Q(text_kk="", text_ru=""), name="survey_question_has_text"),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self):
        return localized(self, "text")


class SurveyOption(models.Model):
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(_("No."))
    text_kk = models.CharField(_("option (Kazakh)"), max_length=300, blank=True)
    text_ru = models.CharField(_("option (Russian)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="survey_option_position_unique"),
            models.CheckConstraint(condition=~models.Q(text_kk="", text_ru=""), name="survey_option_has_text"),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self):
        return localized(self, "text")


class SurveyResponse(models.Model):
    survey = models.ForeignKey(NeedsSurvey, on_delete=models.CASCADE, related_name="responses")
    language = models.CharField(_("language"), max_length=5, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["submitted_at"]

    def __str__(self):
        return f"{self.survey} — {self.submitted_at:%Y-%m-%d %H:%M}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    options = models.ManyToManyField(SurveyOption, verbose_name=_("chosen options"), blank=True, related_name="+")
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_unique"),
        ]

    def __str__(self):
        return f"{self.question}: {self.text}"


class LegislationReview(models.Model):
    """A note of the review of legislation and normative acts for new or changed requirements (000 §2.3)."""

    reviewed_on = models.DateField(_("date"))
    act = models.CharField(_("act"), max_length=500)
    summary = models.TextField(_("what changes for programs"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("legislation review")
        verbose_name_plural = _("legislation reviews")
        ordering = ["-reviewed_on"]

    def __str__(self):
        return self.act


class CouncilMinutes(models.Model):
    """Minutes of the methodical council with its recommendation to develop a program (000 §2.4-2.5)."""

    number = models.CharField(_("minutes No."), max_length=50)
    held_on = models.DateField(_("date"))
    attendees = models.TextField(_("attendees"))
    agenda = models.TextField(_("agenda"), blank=True)
    proposed_title = models.CharField(_("proposed program"), max_length=500)
    decision = models.CharField(_("decision"), max_length=20, choices=CouncilDecision.choices)
    recommendation = models.TextField(_("recommendation"), blank=True)
    surveys = models.ManyToManyField(NeedsSurvey, verbose_name=_("survey results"), blank=True, related_name="minutes")
    reviews = models.ManyToManyField(
        LegislationReview, verbose_name=_("legislation reviews"), blank=True, related_name="minutes"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("council minutes")
        verbose_name_plural = _("council minutes")
        ordering = ["-held_on"]
        constraints = [models.UniqueConstraint(fields=["number", "held_on"], name="minutes_number_unique")]

    def __str__(self):
        return _("Minutes No. %(number)s of %(date)s") % {"number": self.number, "date": self.held_on}


class DevelopmentOrder(models.Model):
    """The director's order to develop a program (000 §2.6); it creates the program's draft."""

    number = models.CharField(_("order No."), max_length=50)
    issued_on = models.DateField(_("date"))
    minutes = models.ForeignKey(
        CouncilMinutes, verbose_name=_("council minutes"), on_delete=models.PROTECT, null=True, blank=True
    )
    program = models.OneToOneField(
        "programs.Program", verbose_name=_("program"), on_delete=models.PROTECT, related_name="development_order"
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    hours = models.PositiveIntegerField(_("duration, academic hours"))
    form_of_study = models.CharField(_("form of study"), max_length=30, choices=FormOfStudy.choices)
    language = models.CharField(_("language of instruction"), max_length=10, choices=Language.choices)
    authors = models.TextField(_("authors"))
    deadline = models.DateField(_("deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("development order")
        verbose_name_plural = _("development orders")
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(fields=["number", "issued_on"], name="development_order_number_unique"),
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("issued_on")), name="order_deadline_after"
            ),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="order_hours_positive"),
        ]

    def __str__(self):
        return _("Order No. %(number)s of %(date)s") % {"number": self.number, "date": self.issued_on}

    @property
    def title(self):
        return localized(self, "title")
