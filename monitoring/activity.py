"""The logged actions of monitoring."""

from django.utils.translation import gettext_lazy as _

from ziat.activity import register_actions

from .enums import ReviewStatus

REVIEW = {"fields": {"status": _("status"), "period": _("period")}, "choices": {"status": ReviewStatus}}

register_actions(
    ("monitoring.review.assembled", _("Effectiveness review assembled"), REVIEW),
    ("monitoring.review.concluded", _("Effectiveness review concluded"), REVIEW),
    ("monitoring.review.approved", _("Effectiveness review approved"), REVIEW),
)
