"""The program's path from draft to approval and revision (000 §2.6-2.14).

Every transition checks the allowed moves, writes a history row and freezes what was sent out: a version
that went to public discussion or to the state body, or that was approved, is never edited again; the
next change is a new version copied from it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ziat import access
from ziat.activity import log_action
from ziat.calendar import add_working_days, calendar_locked
from ziat.errors import DomainError

from ..enums import EDITABLE_STATES, ComplexPart, Conclusion, ProgramStatus
from ..models import (
    ComplexItem,
    Discussion,
    Module,
    Program,
    ProgramStatusChange,
    ProgramVersion,
    StateRemark,
    Submission,
    Topic,
    VersionText,
)
from ..rules import DISCUSSION_WORKING_DAYS, check_plan_for_release
from ..selectors import version_with_plan

ALLOWED_MOVES = {
    ProgramStatus.DRAFT: {ProgramStatus.DISCUSSION, ProgramStatus.SUBMITTED, ProgramStatus.ARCHIVED},
    ProgramStatus.DISCUSSION: {ProgramStatus.SUBMITTED, ProgramStatus.DRAFT},
    ProgramStatus.SUBMITTED: {ProgramStatus.AGREED, ProgramStatus.REWORK},
    ProgramStatus.REWORK: {ProgramStatus.SUBMITTED},
    ProgramStatus.AGREED: {ProgramStatus.APPROVED},
    ProgramStatus.APPROVED: {ProgramStatus.DRAFT, ProgramStatus.ARCHIVED},
    ProgramStatus.ARCHIVED: set(),
}


def _move(program, to, *, by, note="", version=None):
    if to not in ALLOWED_MOVES[ProgramStatus(program.status)]:
        raise DomainError(
            _("A program in the state “%(from)s” cannot become “%(to)s”.")
            % {"from": program.get_status_display(), "to": ProgramStatus(to).label}
        )
    ProgramStatusChange.objects.create(
        program=program,
        version=version or program.current_version,
        from_status=program.status,
        to_status=to,
        by=by,
        note=note,
    )
    log_action(
        program, "programs.program.status", by=by, before={"status": program.status}, after={"status": to}, note=note
    )
    program.status = to


def _locked(program):
    return Program.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=program.pk)


def _today(on):
    return on or timezone.localdate()


@transaction.atomic
def program_create(*, by, title_kk="", title_ru="", form_of_study=None, language=None, authors="", note=""):
    """A new program and its first draft; the program is the centre's own, so there is no record to name."""
    access.require(by, "programs.add_program", None, _("You may not create programs."))
    if not (title_kk.strip() or title_ru.strip()):
        raise DomainError(_("Give the program a title in Kazakh or Russian."))
    program = Program(title_kk=title_kk.strip(), title_ru=title_ru.strip(), authors=authors.strip())
    if form_of_study:
        program.form_of_study = form_of_study
    if language:
        program.language = language
    program.save()
    program_ensure_version(program, by=by)
    ProgramStatusChange.objects.create(
        program=program, version=program.current_version, to_status=program.status, by=by, note=note or _("Created")
    )
    log_action(program, "programs.program.created", by=by, after={"status": program.status}, note=note)
    return program


PROGRAM_TERMS = ("title_kk", "title_ru", "form_of_study", "language", "authors")


@transaction.atomic
def program_update(program, *, by, title_kk="", title_ru="", form_of_study, language, authors=""):
    """Correct a program's titles, form of study, language and authors while its current version is being
    drafted; once sent out or approved, they are part of the document and change only with a new version."""
    access.require(by, "programs.change_program", program, _("You may not change programs."))
    if not (title_kk.strip() or title_ru.strip()):
        raise DomainError(_("Give the program a title in Kazakh or Russian."))
    program = _locked(program)
    version_check_editable(program.current_version)
    before = {name: getattr(program, name) for name in PROGRAM_TERMS}
    program.title_kk, program.title_ru, program.authors = title_kk.strip(), title_ru.strip(), authors.strip()
    program.form_of_study, program.language = form_of_study, language
    after = {name: getattr(program, name) for name in PROGRAM_TERMS}
    if after == before:
        return program
    program.save(update_fields=list(PROGRAM_TERMS))
    changed = [name for name in PROGRAM_TERMS if before[name] != after[name]]
    log_action(
        program,
        "programs.program.terms_saved",
        by=by,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )
    return program


def program_ensure_version(program, *, by=None):
    """Give a program without a version its first, editable version."""
    if program.current_version_id is None:
        version = ProgramVersion.objects.create(program=program, number=1, created_by=by)
        program.current_version = version
        program.save(update_fields=["current_version"])
    return program.current_version


def version_is_editable(version):
    return not version.frozen and version.program.status in EDITABLE_STATES


def version_check_editable(version):
    """Raise unless ``version`` may still be edited: not sent out, and the program in a drafting state."""
    if version.frozen:
        raise DomainError(_("This version was sent out or approved and can no longer be changed; start a new version."))
    if version.program.status not in EDITABLE_STATES:
        raise DomainError(
            _("A program in the state “%(state)s” cannot be edited.") % {"state": version.program.get_status_display()}
        )


def _freeze(version):
    if not version.frozen:
        version.frozen = True
        version.frozen_at = timezone.now()
        version.save(update_fields=["frozen", "frozen_at"])


def _copy_version(source, *, by, note=""):
    """A new editable version of the program with the texts and the plan of ``source``."""
    number = (
        ProgramVersion.objects.filter(program_id=source.program_id)
        .order_by("-number")
        .values_list("number", flat=True)[0]
    )
    version = ProgramVersion.objects.create(
        program_id=source.program_id, number=number + 1, based_on=source, created_by=by, note=note
    )
    texts = list(VersionText.objects.filter(version=source))
    for text in texts:
        text.pk, text.version = None, version
    VersionText.objects.bulk_create(texts)
    for module in Module.objects.filter(version=source).prefetch_related("topics"):
        topics = list(module.topics.all())
        module.pk, module.version = None, version
        module.save()
        for topic in topics:
            topic.pk, topic.module = None, module
        Topic.objects.bulk_create(topics)
    return version


def _start_new_version(program, *, by, note):
    version = _copy_version(program.current_version, by=by, note=note)
    program.current_version = version
    return version


# --------------------------------------------------------------------------- public discussion (000 §2.9)


def discussion_window(published_on):
    """The last day of the public discussion: 10 working days counted from the day after publication."""
    return add_working_days(published_on, DISCUSSION_WORKING_DAYS)


@transaction.atomic
def program_publish_for_discussion(program, *, by, on=None):
    """Publish the current draft on the portal for 10 working days; the version is frozen."""
    access.require(by, "programs.change_program", program, _("You may not publish programs for discussion."))
    program = _locked(program)
    version = version_with_plan(program.current_version_id)
    check_plan_for_release(program, version)
    published_on = _today(on)
    calendar_locked()
    ends_on = discussion_window(published_on)
    _move(program, ProgramStatus.DISCUSSION, by=by, version=version, note=_("Open until %(date)s") % {"date": ends_on})
    _freeze(version)
    program.save(update_fields=["status"])
    return Discussion.objects.create(version=version, published_on=published_on, ends_on=ends_on, published_by=by)


def discussion_is_open(discussion, *, today=None):
    return _today(today) <= discussion.ends_on


@transaction.atomic
def discussions_recount(changed_on, *, by, note, today=None):
    """Count again the last day of every discussion still open whose ten working days include ``changed_on``,
    after the government's decision on that day was recorded or withdrawn (``ziat.calendar_decisions``, which
    calls this inside its transaction after its own access check); returns how many last days moved.

    A discussion that closed before ``today`` never changes: what has ended has ended. An open one ends on
    the tenth working day of the calendar now in force, so it is never shorter than ten working days, and
    moves only when that calendar gives another day. A day made a working day after the fact brings the last
    day nearer, but never before ``today``: comments are taken at least to the end of the day the decision is
    recorded, and nobody who read the earlier date is shut out behind their back. Each move is logged
    (before and after) and noted in the program's history with the government's act in ``note``.
    """
    today = _today(today)
    moved = 0
    discussions = (
        Discussion.objects.select_for_update(of=("self",))
        .filter(published_on__lt=changed_on, ends_on__gte=max(changed_on, today))
        .select_related("version__program")
        .order_by("pk")
    )
    for discussion in discussions:
        before = discussion.ends_on
        after = max(discussion_window(discussion.published_on), today)
        if after == before:
            continue
        discussion.ends_on = after
        discussion.save(update_fields=["ends_on"])
        program = discussion.version.program
        ProgramStatusChange.objects.create(
            program=program,
            version=discussion.version,
            to_status=program.status,
            by=by,
            note=_("Open until %(date)s instead of %(before)s: %(act)s")
            % {"date": date_format(after, "d.m.Y"), "before": date_format(before, "d.m.Y"), "act": note},
        )
        log_action(
            discussion,
            "programs.discussion.recounted",
            by=by,
            before={"ends_on": before},
            after={"ends_on": after},
            note=note,
            scope={"program_id": program.pk, "cohort_id": None, "listener_id": None},
        )
        moved += 1
    return moved


@transaction.atomic
def discussion_summarise(discussion, *, by, summary):
    access.require(by, "programs.change_discussion", discussion, _("You may not change discussions."))
    if not summary.strip():
        raise DomainError(_("Write the summary of the discussion."))
    before = discussion.summary
    discussion.summary = summary.strip()
    discussion.save(update_fields=["summary"])
    log_action(
        discussion,
        "programs.discussion.summarised",
        by=by,
        before={"summary": before} if before else None,
        after={"summary": discussion.summary},
    )
    return discussion


@transaction.atomic
def program_revise_after_discussion(program, *, by, note=""):
    """After the discussion has closed, start a new version that takes the comments into account."""
    access.require(by, "programs.change_program", program, _("You may not edit programs."))
    program = _locked(program)
    discussion = Discussion.objects.filter(version_id=program.current_version_id).first()
    if program.status == ProgramStatus.DISCUSSION and discussion and discussion_is_open(discussion):
        raise DomainError(
            _("The public discussion is open until %(date)s; the draft cannot change before it closes.")
            % {"date": discussion.ends_on}
        )
    note = note or _("Changes after the public discussion")
    _move(program, ProgramStatus.DRAFT, by=by, note=note)
    _start_new_version(program, by=by, note=note)
    program.save(update_fields=["status", "current_version"])
    return program


# --------------------------------------------------------------------------- state body (000 §2.10)


def _cycle_start(program):
    """The version number after which the current cycle of drafting began (the last approved version)."""
    return program.approved_version.number if program.approved_version_id else 0


def discussion_done_in_cycle(program, *, today=None):
    return Discussion.objects.filter(
        version__program=program, version__number__gt=_cycle_start(program), ends_on__lt=_today(today)
    ).exists()


@transaction.atomic
def program_submit(program, *, by, letter_number, on=None):
    """Send the current version to the authorised state body (after its public discussion)."""
    access.require(by, "programs.add_submission", program, _("You may not send programs to the state body."))
    program = _locked(program)
    on = _today(on)
    if not letter_number.strip():
        raise DomainError(_("Give the number of the outgoing letter."))
    if not discussion_done_in_cycle(program, today=on):
        raise DomainError(_("A draft goes to the state body only after its public discussion has closed."))
    version = version_with_plan(program.current_version_id)
    if program.status == ProgramStatus.REWORK:
        unanswered = StateRemark.objects.filter(
            submission__version__program=program, submission__conclusion=Conclusion.REWORK, answer=""
        ).count()
        if unanswered:
            raise DomainError(
                _("Answer every remark of the state body before sending the program again (%(count)s left).")
                % {"count": unanswered}
            )
    check_plan_for_release(program, version)
    _move(
        program,
        ProgramStatus.SUBMITTED,
        by=by,
        version=version,
        note=_("Letter No. %(number)s") % {"number": letter_number.strip()},
    )
    _freeze(version)
    program.save(update_fields=["status"])
    return Submission.objects.create(
        version=version, submitted_on=on, letter_number=letter_number.strip(), submitted_by=by
    )


@transaction.atomic
def submission_conclude(submission, *, by, conclusion, on, number="", letter=None, remarks=()):
    """Record the state body's conclusion: agreement, or rework with its remarks (a new version starts)."""
    access.require(by, "programs.change_submission", submission, _("You may not record the state body's conclusions."))
    submission = Submission.objects.select_for_update().select_related("version").get(pk=submission.pk)
    program = _locked(submission.version.program)
    if submission.conclusion:
        raise DomainError(_("The conclusion on this submission is already recorded."))
    if program.current_version_id != submission.version_id or program.status != ProgramStatus.SUBMITTED:
        raise DomainError(_("This submission is not the one awaiting a conclusion."))
    if on is None or on < submission.submitted_on:
        raise DomainError(_("The conclusion cannot be dated before the program was sent."))
    if on > timezone.localdate():
        raise DomainError(_("The conclusion cannot be dated in the future."))
    remarks = [r.strip() for r in remarks if r and r.strip()]
    if conclusion == Conclusion.REWORK and not remarks:
        raise DomainError(_("List the remarks of the state body."))
    if conclusion not in Conclusion.values:
        raise DomainError(_("Choose the conclusion."))
    submission.conclusion, submission.concluded_on = conclusion, on
    submission.conclusion_number, submission.recorded_by = number.strip(), by
    if letter is not None:
        submission.conclusion_letter = letter
    submission.save()
    StateRemark.objects.bulk_create(
        StateRemark(submission=submission, position=i, text=text) for i, text in enumerate(remarks, start=1)
    )
    log_action(
        submission,
        "programs.submission.concluded",
        by=by,
        after={"conclusion": conclusion, "on": on, "number": submission.conclusion_number, "remarks": len(remarks)},
        scope={"program_id": program.pk},
    )
    if conclusion == Conclusion.AGREED:
        due = approval_due_on(on)
        _move(program, ProgramStatus.AGREED, by=by, note=_("Approval order due by %(date)s") % {"date": due})
        program.save(update_fields=["status"])
    else:
        note = _("Rework: %(count)s remarks") % {"count": len(remarks)}
        _move(program, ProgramStatus.REWORK, by=by, note=note)
        _start_new_version(program, by=by, note=note)
        program.save(update_fields=["status", "current_version"])
    return submission


@transaction.atomic
def remark_answer(remark, *, by, answer):
    """Say how a remark of the state body was addressed in the reworked version."""
    access.require(by, "programs.change_stateremark", remark, _("You may not answer remarks."))
    remark = StateRemark.objects.select_related("submission__version__program").get(pk=remark.pk)
    program = remark.submission.version.program
    if program.status != ProgramStatus.REWORK or remark.submission.conclusion != Conclusion.REWORK:
        raise DomainError(_("Remarks are answered while the program is being reworked."))
    if not answer.strip():
        raise DomainError(_("Say how the remark was addressed."))
    before = remark.answer
    remark.answer, remark.answered_by = answer.strip(), by
    remark.save(update_fields=["answer", "answered_by"])
    log_action(
        remark,
        "programs.remark.answered",
        by=by,
        before={"answer": before} if before else None,
        after={"answer": remark.answer},
        scope={"program_id": program.pk},
    )
    return remark


# --------------------------------------------------------------------------- approval (000 §2.12-2.14)

APPROVAL_WORKING_DAYS = 3
REVISION_YEARS = 3


def approval_due_on(concluded_on):
    """The director approves within 3 working days of receiving the agreement (000 §2.12)."""
    return add_working_days(concluded_on, APPROVAL_WORKING_DAYS)


def agreed_submission(program):
    return (
        Submission.objects.filter(version_id=program.current_version_id, conclusion=Conclusion.AGREED)
        .order_by("-concluded_on")
        .first()
    )


@transaction.atomic
def program_approve(program, *, by, order_number, on=None, note=""):
    """The director approves the version the state body agreed, by order (000 §2.12)."""
    access.require(by, "programs.approve_program", program, _("Only the director approves programs."))
    program = _locked(program)
    agreement = agreed_submission(program) if program.status == ProgramStatus.AGREED else None
    if agreement is None:
        raise DomainError(_("Only a version agreed by the state body can be approved."))
    if not order_number.strip():
        raise DomainError(_("Give the number of the approval order."))
    on = _today(on)
    if on < agreement.concluded_on:
        raise DomainError(_("The program cannot be approved before the state body agreed it."))
    _move(program, ProgramStatus.APPROVED, by=by, note=note or _("Order No. %(number)s") % {"number": order_number})
    program.approved_version = program.current_version
    program.approved_on = on
    program.approval_order_number = order_number.strip()
    program.save(update_fields=["status", "approved_version", "approved_on", "approval_order_number"])
    return program


def approval_deadline(program):
    """The date by which an agreed program must be approved, or None when not awaiting approval."""
    if program.status != ProgramStatus.AGREED:
        return None
    submission = agreed_submission(program)
    return approval_due_on(submission.concluded_on) if submission else None


def revision_due_on(program):
    """An approved program is revised at least every three years (000 §2.14)."""
    from ziat.dates import add_years

    return add_years(program.approved_on, REVISION_YEARS) if program.approved_on else None


@transaction.atomic
def program_start_revision(program, *, by, note=""):
    """Start a new draft from the approved version; the approved one stays in the catalogue meanwhile."""
    access.require(by, "programs.change_program", program, _("You may not edit programs."))
    program = _locked(program)
    if not program.approved_version_id:
        raise DomainError(_("Only an approved program can be revised."))
    note = note or _("Revision of the approved program")
    _move(program, ProgramStatus.DRAFT, by=by, note=note)
    program.current_version = _copy_version(program.approved_version, by=by, note=note)
    program.save(update_fields=["status", "current_version"])
    return program


@transaction.atomic
def program_archive(program, *, by, note=""):
    access.require(by, "programs.approve_program", program, _("Only the director archives programs."))
    program = _locked(program)
    _move(program, ProgramStatus.ARCHIVED, by=by, note=note)
    program.save(update_fields=["status"])
    return program


def program_is_teachable(program):
    """A program is taught in its approved version unless archived (a revision in progress does not stop it)."""
    return bool(program.approved_version_id) and program.status != ProgramStatus.ARCHIVED


# --------------------------------------------------------------------------- methodical complex (000 §2.11)


@transaction.atomic
def complex_item_add(program, *, by, part, title, file=None, url=""):
    from ziat.uploads import check_document

    access.require(by, "programs.add_complexitem", program, _("You may not change the methodical complex."))
    if part not in ComplexPart.values:
        raise DomainError(_("Choose the part of the complex."))
    if not title.strip():
        raise DomainError(_("Give the material a title."))
    if not file and not url.strip():
        raise DomainError(_("Attach a file or give a link."))
    if program.status not in (ProgramStatus.AGREED, ProgramStatus.APPROVED) and not program.approved_version_id:
        raise DomainError(_("The methodical complex is developed after the state body agrees the program."))
    if file:
        check_document(file)
    item = ComplexItem.objects.create(
        program=program, part=part, title=title.strip(), file=file or "", url=url.strip(), added_by=by
    )
    log_action(item, "programs.complex.added", by=by, after={"part": part, "title": item.title})
    return item


@transaction.atomic
def complex_item_remove(item, *, by):
    access.require(by, "programs.delete_complexitem", item, _("You may not change the methodical complex."))
    log_action(item, "programs.complex.removed", by=by, before={"part": item.part, "title": item.title})
    item.file.delete(save=False)
    item.delete()


def complex_missing_parts(program):
    present = set(ComplexItem.objects.filter(program=program).values_list("part", flat=True))
    return [part for part in ComplexPart if part.value not in present]


def program_is_ready_to_teach(program):
    return program_is_teachable(program) and not complex_missing_parts(program)
