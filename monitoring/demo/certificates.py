"""The demo's certificates in every state (SPEC 5.6, 000 §3.8), all through the services: valid ones, an expired
one (issued more than three years ago), a revoked one with its official reason, one with a duplicate and one
replaced by a corrected reissue."""

from django.utils import translation

from assessment.enums import Grade
from assessment.models import ModuleGrade
from assessment.services.results import module_grades_save
from certificates.enums import DuplicateReason, RevocationCategory
from certificates.lifecycle import certificate_reissue, duplicate_issue
from certificates.models import Certificate
from certificates.services import certificate_revoke
from certificates.snapshot import grade_languages
from programs.models import Module


def _correct_a_grade(certificate, *, by):
    """The trainer corrects a module grade mistyped on the sheet (the appendix printed the wrong one)."""
    enrolment = certificate.enrolment
    module = Module.objects.filter(version_id=enrolment.cohort.version_id, is_final_assessment=False).order_by(
        "position"
    )[1]
    saved = ModuleGrade.objects.filter(enrolment=enrolment, module=module).values_list("grade", flat=True).first()
    with translation.override("ru"):
        excellent, good = str(Grade.EXCELLENT.label), str(Grade.GOOD.label)
    printed = grade_languages(saved)["ru"] if saved else ""
    wanted = good if printed.casefold() == excellent.casefold() else excellent
    module_grades_save(cohort=enrolment.cohort, grades={(enrolment.pk, module.pk): wanted}, by=by)
    return module.position


def certificates_lifecycle(cohort, *, director, trainer):
    """Of the cohort's certificates: the third is revoked, the second gets a duplicate, the fourth is replaced
    by a corrected one. Run once, after the cohort's certificates are issued."""
    issued = list(Certificate.objects.filter(enrolment__cohort=cohort).order_by("pk"))
    if len(issued) < 4 or Certificate.objects.filter(enrolment__cohort=cohort, replaces__isnull=False).exists():
        return
    last_day = max(c.issued_on for c in issued)
    duplicate_issue(
        issued[1],
        by=director,
        reason=DuplicateReason.LOST,
        note="Заявление слушателя от " + f"{last_day:%d.%m.%Y}: оригинал утерян при переезде.",
        on=last_day,
    )
    certificate_revoke(
        issued[2],
        by=director,
        category=RevocationCategory.FALSE_DATA,
        note="Представлена недостоверная справка с места работы (служебная записка № 14).",
    )
    position = _correct_a_grade(issued[3], by=trainer)
    certificate_reissue(
        issued[3],
        by=director,
        reason_note=f"Исправлена оценка по модулю {position} в приложении (ошибка при вводе ведомости).",
        on=last_day,
    )
