"""The staff's program screens: the list by status with deadlines, one program's path and its actions."""

import datetime
import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ziat import access, activity
from ziat import listing as lists
from ziat.errors import DomainError, PermissionDeniedError
from ziat.refusals import staff_required

from .. import listing
from ..enums import ComplexPart, Conclusion, ProgramStatus
from ..filters import ProgramFilter
from ..forms.workflow import (
    ApproveForm,
    CommentDecisionForm,
    ComplexItemForm,
    ConclusionForm,
    NoteForm,
    ProgramCreateForm,
    PublishForm,
    RemarkAnswerForm,
    SubmitForm,
    SummaryForm,
)
from ..models import ComplexItem, Discussion, ProgramStatusChange, StateRemark, Submission
from ..rules import duration_class
from ..selectors import REVISION_WARNING_DAYS, plan_totals, version_with_plan
from ..services import workflow
from ..services.discussion import comment_decide


def _deadlines(program, today):
    """The dates the program's path must keep, each flagged when passed."""
    rows = []
    order = getattr(program, "development_order", None)
    drafting = program.status == ProgramStatus.DRAFT and not program.current_version.frozen
    if order and drafting and not program.approved_version_id:
        rows.append((_("Draft due (development order)"), order.deadline, order.deadline < today))
    ends_on = getattr(program, "discussion_ends_on", None)
    if program.status == ProgramStatus.DISCUSSION and ends_on:
        rows.append((_("Public discussion open until"), ends_on, False))
    agreed_on = getattr(program, "agreed_on", None)
    if program.status == ProgramStatus.AGREED and agreed_on:
        due = workflow.approval_due_on(agreed_on)
        rows.append((_("Approval order due"), due, due < today))
    if program.approved_on and program.status != ProgramStatus.ARCHIVED:
        due = workflow.revision_due_on(program)
        rows.append((_("Revision due"), due, due < today))
    return rows


@staff_required("programs.view_program")
def staff_list(request):
    """Programs found by title, status, form of study and language, a page at a time, with their deadlines."""
    found = lists.listing(request, ProgramFilter, listing.staff_programs())
    today = timezone.localdate()
    rows = [(p, _deadlines(p, today)) for p in found.rows]
    return render(request, "programs/program/list.html", {"list": found, "rows": rows}, status=found.status)


@staff_required("programs.add_program")
def staff_create(request):
    form = ProgramCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = workflow.program_create(by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The program is created; now write its sections and plan."))
            return redirect("programs:staff_detail", pk=program.pk)
    return render(request, "programs/program/create.html", {"form": form})


@staff_required("programs.change_program")
def staff_edit(request, pk):
    """The program's titles, form of study, language and authors, while its current version is drafted."""
    program = _program(request, pk, "programs.change_program")
    initial = {name: getattr(program, name) for name in workflow.PROGRAM_TERMS}
    form = ProgramCreateForm(request.POST or None, initial=initial)
    editable = workflow.version_is_editable(program.current_version)
    if request.method == "POST" and editable and form.is_valid():
        try:
            workflow.program_update(program, by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The program's terms are saved."))
            return redirect("programs:staff_detail", pk=program.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "programs/program/edit.html", {"program": program, "form": form, "editable": editable}, status=status
    )


def _program(request, pk, perm):
    program = get_object_or_404(listing.staff_programs(), pk=pk)
    access.check(request.user, perm, program)
    return program


def _detail_context(request, program, forms=None):
    today = timezone.localdate()
    version = version_with_plan(program.current_version_id)
    totals = plan_totals(version)
    versions = list(program.versions.order_by("-number").select_related("created_by"))
    discussions = {d.version_id: d for d in Discussion.objects.filter(version__program=program)}
    submissions = list(
        Submission.objects.filter(version__program=program)
        .select_related("version", "submitted_by")
        .prefetch_related("remarks")
        .order_by("-submitted_on", "-pk")
    )
    history = ProgramStatusChange.objects.filter(program=program).select_related("by", "version").order_by("-at")
    discussion = discussions.get(program.current_version_id)
    open_remarks = []
    if program.status == ProgramStatus.REWORK:
        open_remarks = list(
            StateRemark.objects.filter(
                submission__version__program=program, submission__conclusion=Conclusion.REWORK
            ).select_related("submission__version")
        )
    forms = forms or {}
    can_change = request.user.has_perm("programs.change_program")
    can_submit = request.user.has_perm("programs.add_submission")
    discussion_done = workflow.discussion_done_in_cycle(program, today=today)
    status = program.status
    context = {
        "program": program,
        "version": version,
        "totals": totals,
        "duration_class": duration_class(
            totals.total, form_of_study=program.form_of_study, is_internship=program.is_internship
        ),
        "versions": [(v, discussions.get(v.pk)) for v in versions],
        "submissions": submissions,
        "history": history,
        "deadlines": _deadlines(program, today),
        "discussion": discussion,
        "discussion_open": discussion is not None and workflow.discussion_is_open(discussion, today=today),
        "discussion_done": discussion_done,
        "show_submit": can_submit
        and (
            status == ProgramStatus.REWORK
            or (status in (ProgramStatus.DRAFT, ProgramStatus.DISCUSSION) and discussion_done)
        ),
        "show_archive": request.user.has_perm("programs.approve_program")
        and status in (ProgramStatus.DRAFT, ProgramStatus.APPROVED),
        "open_remarks": open_remarks,
        "missing_parts": workflow.complex_missing_parts(program) if program.approved_version_id else [],
        "editable": workflow.version_is_editable(version),
        "can_change": can_change,
        "can_approve": request.user.has_perm("programs.approve_program"),
        "can_submit": can_submit,
        "publish_form": forms.get("publish") or PublishForm(),
        "submit_form": forms.get("submit") or SubmitForm(),
        "conclusion_form": forms.get("conclude") or ConclusionForm(),
        "approve_form": forms.get("approve") or ApproveForm(),
        "note_form": forms.get("note") or NoteForm(),
        "remark_forms": forms.get("remarks", {}),
        "statuses": ProgramStatus,
        "activity": activity.history_panel(
            activity.history(program=program, user=request.user),
            more_url=reverse("programs:staff_history", kwargs={"pk": program.pk}),
        ),
    }
    return context


@staff_required("programs.view_program")
def staff_detail(request, pk):
    program = _program(request, pk, "programs.view_program")
    return render(request, "programs/program/detail.html", _detail_context(request, program))


@require_GET
@staff_required("programs.view_program")
def staff_history(request, pk):
    program = _program(request, pk, "programs.view_program")
    back = reverse("programs:staff_detail", kwargs={"pk": program.pk})
    return activity.render_history_page(
        request, activity.history(program=program, user=request.user), subject=program.title, back_url=back
    )


def _action(request, pk, perm, form_class, key, call, success):
    """Run one workflow action from a form; on a bad form or a refused move, show the page again."""
    program = _program(request, pk, perm)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            call(program, form)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, success)
            return redirect("programs:staff_detail", pk=program.pk)
    context = _detail_context(request, program, {key: form})
    return render(request, "programs/program/detail.html", context, status=400)


@require_POST
@staff_required("programs.change_program")
def publish(request, pk):
    return _action(
        request,
        pk,
        "programs.change_program",
        PublishForm,
        "publish",
        lambda p, f: workflow.program_publish_for_discussion(p, by=request.user, on=f.cleaned_data["published_on"]),
        _("The draft is published for public discussion."),
    )


@require_POST
@staff_required("programs.add_submission")
def submit(request, pk):
    return _action(
        request,
        pk,
        "programs.add_submission",
        SubmitForm,
        "submit",
        lambda p, f: workflow.program_submit(
            p, by=request.user, letter_number=f.cleaned_data["letter_number"], on=f.cleaned_data["submitted_on"]
        ),
        _("The program is recorded as sent to the state body."),
    )


def _conclude(request, program, form):
    submission = Submission.objects.filter(version_id=program.current_version_id, conclusion="").order_by("-pk").first()
    if submission is None:
        raise DomainError(_("There is no submission awaiting a conclusion."))
    letter = form.cleaned_data.get("letter")
    if letter:
        from ziat.uploads import SCAN_TYPES, check_document

        check_document(letter, types=SCAN_TYPES)
    workflow.submission_conclude(
        submission,
        by=request.user,
        conclusion=form.cleaned_data["conclusion"],
        on=form.cleaned_data["concluded_on"],
        number=form.cleaned_data["conclusion_number"],
        letter=letter,
        remarks=form.remark_list(),
    )


@require_POST
@staff_required("programs.change_submission")
def conclude(request, pk):
    return _action(
        request,
        pk,
        "programs.change_submission",
        ConclusionForm,
        "conclude",
        lambda p, f: _conclude(request, p, f),
        _("The state body's conclusion is recorded."),
    )


@require_POST
@staff_required("programs.change_stateremark")
def answer_remark(request, pk, remark_pk):
    program = _program(request, pk, "programs.change_stateremark")
    remark = get_object_or_404(StateRemark, pk=remark_pk, submission__version__program=program)
    form = RemarkAnswerForm(request.POST)
    if form.is_valid():
        try:
            workflow.remark_answer(remark, by=request.user, answer=form.cleaned_data["answer"])
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The answer to the remark is saved."))
            return redirect("programs:staff_detail", pk=program.pk)
    context = _detail_context(request, program, {"remarks": {remark.pk: form}})
    return render(request, "programs/program/detail.html", context, status=400)


@require_POST
@staff_required("programs.approve_program")
def approve(request, pk):
    return _action(
        request,
        pk,
        "programs.approve_program",
        ApproveForm,
        "approve",
        lambda p, f: workflow.program_approve(
            p, by=request.user, order_number=f.cleaned_data["order_number"], on=f.cleaned_data["approved_on"]
        ),
        _("The program is approved and published in the catalogue."),
    )


@require_POST
@staff_required("programs.change_program")
def new_version(request, pk):
    def call(program, form):
        note = form.cleaned_data["note"]
        if program.status == ProgramStatus.APPROVED:
            workflow.program_start_revision(program, by=request.user, note=note)
        else:
            workflow.program_revise_after_discussion(program, by=request.user, note=note)

    return _action(
        request,
        pk,
        "programs.change_program",
        NoteForm,
        "note",
        call,
        _("A new version is started from the previous one."),
    )


@require_POST
@staff_required("programs.approve_program")
def archive(request, pk):
    return _action(
        request,
        pk,
        "programs.approve_program",
        NoteForm,
        "note",
        lambda p, f: workflow.program_archive(p, by=request.user, note=f.cleaned_data["note"]),
        _("The program is archived."),
    )


# --------------------------------------------------------------------------- discussion moderation


@staff_required("programs.view_discussioncomment")
def discussion_comments(request, pk, discussion_pk):
    program = _program(request, pk, "programs.view_discussioncomment")
    discussion = get_object_or_404(
        Discussion.objects.select_related("version"), pk=discussion_pk, version__program=program
    )
    comments = list(discussion.comments.select_related("replied_by"))
    forms = {
        c.pk: CommentDecisionForm(prefix=f"c{c.pk}", initial={"status": c.status, "reason": c.reason, "reply": c.reply})
        for c in comments
    }
    summary_form = SummaryForm(initial={"summary": discussion.summary})
    if request.method == "POST":
        if not request.user.has_perm("programs.change_discussioncomment"):
            raise PermissionDenied
        if "summary" in request.POST:
            summary_form = SummaryForm(request.POST)
            if summary_form.is_valid():
                try:
                    workflow.discussion_summarise(
                        discussion, by=request.user, summary=summary_form.cleaned_data["summary"]
                    )
                except PermissionDeniedError:
                    raise
                except DomainError as e:
                    summary_form.add_error(None, e.message)
                else:
                    messages.success(request, _("The summary is attached to the version."))
                    return redirect("programs:discussion_comments", pk=pk, discussion_pk=discussion.pk)
        else:
            comment_pk = request.POST.get("comment")
            comment = next((c for c in comments if str(c.pk) == comment_pk), None)
            if comment is None:
                messages.error(request, _("The comment was not found."))
                return redirect("programs:discussion_comments", pk=pk, discussion_pk=discussion.pk)
            form = CommentDecisionForm(request.POST, prefix=f"c{comment.pk}")
            forms[comment.pk] = form
            if form.is_valid():
                try:
                    comment_decide(comment, by=request.user, **form.cleaned_data)
                except PermissionDeniedError:
                    raise
                except DomainError as e:
                    form.add_error(None, e.message)
                else:
                    messages.success(request, _("The decision on the comment is saved."))
                    return redirect("programs:discussion_comments", pk=pk, discussion_pk=discussion.pk)
    return render(
        request,
        "programs/discussion/comments.html",
        {
            "program": program,
            "discussion": discussion,
            "rows": [(c, forms[c.pk]) for c in comments],
            "summary_form": summary_form,
            "is_open": workflow.discussion_is_open(discussion),
        },
        status=400 if request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------- methodical complex


@staff_required("programs.view_complexitem")
def complex_items(request, pk):
    program = _program(request, pk, "programs.view_complexitem")
    form = ComplexItemForm()
    if request.method == "POST":
        if not request.user.has_perm("programs.add_complexitem"):
            raise PermissionDenied
        if "remove" in request.POST:
            item = get_object_or_404(ComplexItem, pk=request.POST["remove"], program=program)
            try:
                workflow.complex_item_remove(item, by=request.user)
            except PermissionDeniedError:
                raise
            except DomainError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, _("The material is removed."))
            return redirect("programs:complex", pk=pk)
        form = ComplexItemForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                workflow.complex_item_add(program, by=request.user, **form.cleaned_data)
            except PermissionDeniedError:
                raise
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("The material is added to the complex."))
                return redirect("programs:complex", pk=pk)
    items = list(program.complex_items.select_related("added_by"))
    parts = [(part, [i for i in items if i.part == part.value]) for part in ComplexPart]
    return render(
        request,
        "programs/program/complex.html",
        {
            "program": program,
            "parts": parts,
            "form": form,
            "ready": workflow.program_is_ready_to_teach(program),
        },
        status=400 if request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------- revisions (000 §2.14)


@staff_required("programs.view_program")
def revisions(request):
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=REVISION_WARNING_DAYS)
    rows = []
    for program in listing.catalogue_programs():
        due = workflow.revision_due_on(program)
        if due <= horizon:
            rows.append((program, due, due < today))
    rows.sort(key=lambda row: row[1])
    return render(request, "programs/program/revisions.html", {"rows": rows, "horizon": horizon, "today": today})


# --------------------------------------------------------------------------- uploaded files (never public)


def _file_response(field):
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, filename=os.path.basename(field.name))


@require_GET
@staff_required("programs.view_submission")
def conclusion_letter(request, pk, submission_pk):
    submission = get_object_or_404(Submission, pk=submission_pk, version__program_id=pk)
    access.check(request.user, "programs.view_submission", submission)
    return _file_response(submission.conclusion_letter)


@require_GET
@staff_required("programs.view_complexitem")
def complex_file(request, pk, item_pk):
    item = get_object_or_404(ComplexItem, pk=item_pk, program_id=pk)
    access.check(request.user, "programs.view_complexitem", item)
    return _file_response(item.file)


urlpatterns = [
    path("staff/programs/", staff_list, name="staff_list"),
    path("staff/programs/new/", staff_create, name="staff_create"),
    path("staff/programs/revisions/", revisions, name="revisions"),
    path("staff/programs/<int:pk>/", staff_detail, name="staff_detail"),
    path("staff/programs/<int:pk>/history/", staff_history, name="staff_history"),
    path("staff/programs/<int:pk>/terms/", staff_edit, name="staff_edit"),
    path("staff/programs/<int:pk>/publish/", publish, name="publish"),
    path("staff/programs/<int:pk>/submit/", submit, name="submit"),
    path("staff/programs/<int:pk>/conclude/", conclude, name="conclude"),
    path("staff/programs/<int:pk>/remarks/<int:remark_pk>/", answer_remark, name="answer_remark"),
    path("staff/programs/<int:pk>/approve/", approve, name="approve"),
    path("staff/programs/<int:pk>/new-version/", new_version, name="new_version"),
    path("staff/programs/<int:pk>/archive/", archive, name="archive"),
    path("staff/programs/<int:pk>/complex/", complex_items, name="complex"),
    path("staff/programs/<int:pk>/complex/<int:item_pk>/file/", complex_file, name="complex_file"),
    path(
        "staff/programs/<int:pk>/submissions/<int:submission_pk>/letter/", conclusion_letter, name="conclusion_letter"
    ),
    path(
        "staff/programs/<int:pk>/discussion/<int:discussion_pk>/",
        discussion_comments,
        name="discussion_comments",
    ),
]
