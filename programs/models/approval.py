"""Public discussion (000 §2.9), the state body's agreement (000 §2.10), the complex (000 §2.11)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import CommentStatus, ComplexPart, Conclusion
from .program import Program, ProgramVersion


class Discussion(models.Model):
    """A version published for public discussion for 10 working days from publication."""

    version = models.OneToOneField(
        ProgramVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="discussion"
    )
    published_on = models.DateField(_("published on"))
    ends_on = models.DateField(_("open until"), help_text=_("Comments are accepted to the end of this day."))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("summary of the discussion"), blank=True)

    class Meta:
        verbose_name = _("public discussion")
        verbose_name_plural = _("public discussions")
        ordering = ["-published_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("published_on")), name="discussion_ends_after"
            )
        ]

    def __str__(self):
        return str(self.version)


class DiscussionComment(models.Model):
    discussion = models.ForeignKey(
        Discussion, verbose_name=_("discussion"), on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Never shown publicly."))
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    client_hash = models.CharField(max_length=64, editable=False, db_index=True)
    status = models.CharField(_("decision"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.NEW)
    reason = models.TextField(_("reason"), blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)

    class Meta:
        verbose_name = _("discussion comment")
        verbose_name_plural = _("discussion comments")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="new") | ~models.Q(reason=""), name="comment_decision_has_reason"
            )
        ]

    def __str__(self):
        return f"{self.name}: {self.text[:60]}"


def letter_path(instance, filename):
    return f"programs/letters/{instance.version.program_id}/{filename}"


class Submission(models.Model):
    """A version sent to the authorised state body, and the body's conclusion on it."""

    version = models.ForeignKey(
        ProgramVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="submissions"
    )
    submitted_on = models.DateField(_("sent on"))
    letter_number = models.CharField(_("outgoing letter No."), max_length=100)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    conclusion = models.CharField(_("conclusion"), max_length=10, choices=Conclusion.choices, blank=True)
    concluded_on = models.DateField(_("conclusion received on"), null=True, blank=True)
    conclusion_number = models.CharField(_("conclusion letter No."), max_length=100, blank=True)
    conclusion_letter = models.FileField(_("scanned letter"), upload_to=letter_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("submission to the state body")
        verbose_name_plural = _("submissions to the state body")
        ordering = ["submitted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(conclusion="", concluded_on__isnull=True)
                | (~models.Q(conclusion="") & models.Q(concluded_on__gte=models.F("submitted_on"))),
                name="submission_conclusion_dated",
            )
        ]

    def __str__(self):
        return _("%(version)s, letter No. %(number)s") % {"version": self.version, "number": self.letter_number}


class StateRemark(models.Model):
    """One remark of the state body, answered in the next version."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="remarks"
    )
    position = models.PositiveIntegerField(_("No."))
    text = models.TextField(_("remark"))
    answer = models.TextField(_("how it was addressed"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("remark of the state body")
        verbose_name_plural = _("remarks of the state body")
        ordering = ["submission", "position"]
        constraints = [models.UniqueConstraint(fields=["submission", "position"], name="remark_position_unique")]

    def __str__(self):
        return f"{self.position}. {self.text[:80]}"


def complex_path(instance, filename):
    return f"programs/complex/{instance.program_id}/{filename}"


class ComplexItem(models.Model):
    """A file or link of the educational-methodical complex of a program (000 §2.11)."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="complex_items"
    )
    part = models.CharField(_("part"), max_length=20, choices=ComplexPart.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=complex_path, blank=True)
    url = models.URLField(_("link"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("item of the methodical complex")
        verbose_name_plural = _("items of the methodical complex")
        ordering = ["program", "part", "added_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(file="", url=""), name="complex_item_has_file_or_link")
        ]

    def __str__(self):
        return self.title
