"""Changes of state of programs: every transition checks the allowed moves and writes a history row."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat.errors import DomainError

from .enums import ProgramStatus
from .models import Program, ProgramStatusChange, ProgramVersion
from .selectors import plan_totals, version_with_plan

ALLOWED_MOVES = {
    ProgramStatus.DRAFT: {ProgramStatus.DISCUSSION, ProgramStatus.APPROVED},
    ProgramStatus.DISCUSSION: {ProgramStatus.SUBMITTED},
    ProgramStatus.SUBMITTED: {ProgramStatus.AGREED, ProgramStatus.REWORK},
    ProgramStatus.REWORK: {ProgramStatus.SUBMITTED},
    ProgramStatus.AGREED: {ProgramStatus.APPROVED},
    ProgramStatus.APPROVED: {ProgramStatus.ARCHIVED},
    ProgramStatus.ARCHIVED: set(),
}


def _move(program, to, *, by, note=""):
    if to not in ALLOWED_MOVES[ProgramStatus(program.status)]:
        raise DomainError(
            _("A program in the state “%(from)s” cannot become “%(to)s”.")
            % {"from": program.get_status_display(), "to": ProgramStatus(to).label}
        )
    ProgramStatusChange.objects.create(program=program, from_status=program.status, to_status=to, by=by, note=note)
    program.status = to


@transaction.atomic
def program_create(*, by, title_kk="", title_ru="", form_of_study=None, language=None):
    if not (title_kk.strip() or title_ru.strip()):
        raise DomainError(_("Give the program a title in Kazakh or Russian."))
    program = Program(title_kk=title_kk.strip(), title_ru=title_ru.strip())
    if form_of_study:
        program.form_of_study = form_of_study
    if language:
        program.language = language
    program.save()
    program_ensure_version(program)
    ProgramStatusChange.objects.create(program=program, to_status=program.status, by=by, note=_("Created"))
    return program


def program_ensure_version(program):
    """Give a program without a version its first, editable version."""
    if program.current_version_id is None:
        version = ProgramVersion.objects.create(program=program, number=1)
        program.current_version = version
        program.save(update_fields=["current_version"])
    return program.current_version


@transaction.atomic
def program_approve(program, *, by, order_number="", on=None, note=""):
    """The director approves the program's current version by order (000 §2.12)."""
    if not by.has_perm("programs.approve_program"):
        raise DomainError(_("Only the director approves programs."))
    program = Program.objects.select_for_update().get(pk=program.pk)
    version = version_with_plan(program.current_version_id)
    if not any(m.topics.all() for m in version.modules.all()):
        raise DomainError(_("A program without modules and topics cannot be approved."))
    if plan_totals(version).total <= 0:
        raise DomainError(_("The thematic plan has no hours."))
    _move(program, ProgramStatus.APPROVED, by=by, note=note)
    ProgramVersion.objects.filter(pk=version.pk).update(frozen=True)
    program.approved_version = version
    program.approved_on = on or timezone.localdate()
    program.approval_order_number = order_number
    program.save(update_fields=["status", "approved_version", "approved_on", "approval_order_number"])
    return program
