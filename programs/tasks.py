"""Background work of programs: the exports written by ziat.tasks.build_export (see ziat.exports)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from ziat.errors import DomainError
from ziat.exports import export_builder

from .models import NeedsSurvey
from .services.needs import survey_workbook

# Who may read a needs survey's answers (and so export them).
RESULTS_PERMISSION = "programs.view_surveyresponse"


@export_builder(writes_file=True)
def survey_results_file(*, out, progress, survey_id, user_id):
    """A needs survey's results and responses (000 §2.3), for a user who may still read them."""
    survey = NeedsSurvey.objects.filter(pk=survey_id).first()
    if survey is None:
        raise DomainError(_("The survey no longer exists; nothing was exported."))
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not (user.is_staff and user.has_perm(RESULTS_PERMISSION)):
        raise DomainError(_("You may not read the answers of this survey; nothing was exported."))
    survey_workbook(survey, out, progress=progress)
