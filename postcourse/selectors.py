"""Reads of the post-course support for other pages: the staff home's work of this stage."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat import access
from ziat.workspace import Item

from .enums import ConsultationStatus
from .models import Consultation
from .support import cohorts_in_support


def work_of_consultations(user, *, today):
    """Listeners' questions waiting for an answer, in the cohorts the user may know of (a trainer: theirs)."""
    if not user.has_perm("postcourse.change_consultation"):
        return []
    found = access.scope(user, Consultation.objects.filter(status=ConsultationStatus.OPEN)).aggregate(
        n=Count("pk"), oldest=Min("created_at")
    )
    note = ""
    if found["oldest"] is not None:
        asked = timezone.localdate(found["oldest"]).strftime("%d.%m.%Y")
        note = _("the oldest asked on %(date)s") % {"date": asked}
    url = reverse("postcourse:consultations_staff") + f"?status={ConsultationStatus.OPEN}"
    return [Item("postcourse.consultations", _("Consultations to answer"), found["n"], url, note=note)]


def work_of_support_plans(user, *, today):
    """Cohorts in their support year with no support activity planned yet (000 §4.3)."""
    if not user.has_perm("postcourse.add_supportactivity"):
        return []
    count = cohorts_in_support(user, today=today).filter(planned=0).count()
    return [Item("postcourse.plans", _("Support plans to draw up"), count, reverse("postcourse:support_cohorts"))]
