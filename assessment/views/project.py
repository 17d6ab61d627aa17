"""The project work (004 §8) and the external final assessment of a long course (000 §2.1.10).

The listener hands in the work and reads its scores in the cabinet; a trainer of the cohort scores it by the
program's rubric; the registrar or the director records the external final assessment with its document.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enrolment.models import Cohort, Enrolment
from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.refusals import staff_required

from ..forms import ExternalForm
from ..models import CriterionScore, ExternalAssessment, ProjectWork
from ..outcomes import project_grade, rubric_max
from ..services import project
from ..services.external import cohort_is_long_course, external_record

# ------------------------------------------------------------------------------------------ shared


def _file_response(field, original_name):
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=original_name or field.name.rsplit("/", 1)[-1])


def _own_enrolment(request, enrolment_pk):
    """The listener's own enrolment; anyone else's (or a user who is no listener) is not found."""
    listener = getattr(request.user, "listener", None)
    if listener is None:
        raise Http404
    return get_object_or_404(
        Enrolment.objects.select_related("cohort__program", "listener__user"), pk=enrolment_pk, listener=listener
    )


def _work_with_scores(**filters):
    scores = CriterionScore.objects.select_related("criterion").order_by("criterion__position")
    return (
        ProjectWork.objects.select_related("enrolment__cohort__program", "enrolment__listener__user", "scored_by")
        .prefetch_related(Prefetch("scores", queryset=scores))
        .filter(**filters)
        .first()
    )


def _rubric(scheme, work):
    """Rows of (criterion, score or None) of the program's rubric."""
    given = {s.criterion_id: s for s in work.scores.all()} if work else {}
    return [(c, given.get(c.pk)) for c in scheme.criteria.all()] if scheme else []


# ------------------------------------------------------------------------------------------ the listener


@login_required
@require_http_methods(["GET", "POST"])
def my_project(request, enrolment_pk):
    """The listener's project work: hand it in (or replace it before scoring), then read its scores."""
    enrolment = _own_enrolment(request, enrolment_pk)
    scheme = project.scheme_of(enrolment.cohort.program_id)
    error = None
    if request.method == "POST":
        try:
            project.project_submit(
                enrolment=enrolment, title=request.POST.get("title", ""), upload=request.FILES.get("file")
            )
        except DomainError as e:
            error = e.message
        else:
            messages.success(request, _("Your project work is handed in."))
            return redirect("assessment:my_project", enrolment_pk=enrolment.pk)
    work = _work_with_scores(enrolment=enrolment)
    scored = work is not None and work.points is not None
    grade = project_grade(work.points, scheme) if scored else None
    context = {
        "enrolment": enrolment,
        "scheme": scheme,
        "required": project.requires_project(scheme),
        "work": work,
        "status": project.project_status(work),
        "rubric": _rubric(scheme, work),
        "max_points": rubric_max(scheme),
        "grade": grade.label if grade else None,
        "may_submit": project.requires_project(scheme) and not scored,
        "title": request.POST.get("title", "") if error else (work.title if work else ""),
        "external": ExternalAssessment.objects.filter(enrolment=enrolment).first(),
        "error": error,
    }
    return render(request, "assessment/project/my_project.html", context, status=400 if error else 200)


@login_required
@require_GET
def my_project_file(request, enrolment_pk):
    enrolment = _own_enrolment(request, enrolment_pk)
    work = get_object_or_404(ProjectWork, enrolment=enrolment)
    return _file_response(work.file, work.original_name)


@login_required
@require_GET
def my_external_document(request, enrolment_pk):
    enrolment = _own_enrolment(request, enrolment_pk)
    record = get_object_or_404(ExternalAssessment, enrolment=enrolment)
    return _file_response(record.document, record.original_name)


# ------------------------------------------------------------------------------------------ staff


@require_GET
@staff_required("assessment.view_projectwork")
def project_works(request, cohort_pk):
    """The cohort's listeners with their project works and, for a long course, external assessments."""
    cohort = get_object_or_404(Cohort.objects.select_related("program", "version"), pk=cohort_pk)
    access.check(request.user, "assessment.view_projectwork", cohort)
    scheme = project.scheme_of(cohort.program_id)
    enrolments = list(
        Enrolment.objects.filter(cohort=cohort)
        .select_related("listener__user", "project_work", "external_assessment")
        .order_by("listener__user__last_name", "listener__user__first_name", "pk")
    )
    rows = []
    for e in enrolments:
        work = getattr(e, "project_work", None)
        grade = project_grade(work.points, scheme) if work else None
        rows.append(
            {
                "enrolment": e,
                "work": work,
                "status": project.project_status(work),
                "grade": grade.label if grade else "",
                "external": getattr(e, "external_assessment", None),
            }
        )
    context = {
        "cohort": cohort,
        "scheme": scheme,
        "required": project.requires_project(scheme),
        "max_points": rubric_max(scheme),
        "long_course": cohort_is_long_course(cohort),
        "may_score": access.may(request.user, "assessment.change_projectwork", cohort),
        "rows": rows,
    }
    return render(request, "assessment/project/works.html", context)


@require_http_methods(["GET", "POST"])
@staff_required("assessment.change_projectwork")
def project_score(request, work_pk):
    """Score a work by every criterion of the program's rubric; a wrong sheet saves nothing."""
    work = _work_with_scores(pk=work_pk)
    if work is None:
        raise Http404
    cohort = work.enrolment.cohort
    access.check(request.user, "assessment.change_projectwork", cohort)
    scheme = project.scheme_of(cohort.program_id)
    rubric = _rubric(scheme, work)
    error = None
    typed = {}
    if request.method == "POST":
        scores = {
            c.pk: (request.POST.get(f"points-{c.pk}", ""), request.POST.get(f"comment-{c.pk}", "")) for c, _s in rubric
        }
        typed = scores
        try:
            project.project_score(work=work, scores=scores, comment=request.POST.get("comment", ""), by=request.user)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            error = e.message
        else:
            messages.success(request, _("The project work is scored."))
            return redirect("assessment:project_works", cohort_pk=cohort.pk)
    rows = []
    for criterion, saved in rubric:
        points, comment = typed.get(criterion.pk, (saved.points if saved else "", saved.comment if saved else ""))
        rows.append({"criterion": criterion, "points": points, "comment": comment})
    grade = project_grade(work.points, scheme)
    context = {
        "work": work,
        "cohort": cohort,
        "scheme": scheme,
        "rows": rows,
        "max_points": rubric_max(scheme),
        "grade": grade.label if grade else None,
        "comment": request.POST.get("comment", "") if error else work.comment,
        "error": error,
    }
    return render(request, "assessment/project/score.html", context, status=400 if error else 200)


@require_GET
@staff_required("assessment.view_projectwork")
def project_file(request, work_pk):
    work = get_object_or_404(ProjectWork.objects.select_related("enrolment"), pk=work_pk)
    access.check(request.user, "assessment.view_projectwork", work)
    return _file_response(work.file, work.original_name)


@require_http_methods(["GET", "POST"])
@staff_required("assessment.add_externalassessment")
def external_assessment(request, enrolment_pk):
    """Record the external final assessment of a listener of a long course (000 §2.1.10)."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("cohort__program", "cohort__version", "listener__user"), pk=enrolment_pk
    )
    access.check(request.user, "assessment.add_externalassessment", enrolment)
    record = ExternalAssessment.objects.filter(enrolment=enrolment).first()
    initial = (
        {"held_on": record.held_on, "assessor": record.assessor, "result": record.result, "passed": record.passed}
        if record
        else {}
    )
    form = ExternalForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                external_record(enrolment=enrolment, by=request.user, **form.cleaned_data)
            except PermissionDeniedError:
                raise
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("The external final assessment is recorded."))
                return redirect("assessment:external_assessment", enrolment_pk=enrolment.pk)
        status = 400
    context = {
        "enrolment": enrolment,
        "record": record,
        "form": form,
        "long_course": cohort_is_long_course(enrolment.cohort),
    }
    return render(request, "assessment/project/external.html", context, status=status)


@require_GET
@staff_required("assessment.view_externalassessment")
def external_document(request, enrolment_pk):
    record = get_object_or_404(ExternalAssessment, enrolment_id=enrolment_pk)
    access.check(request.user, "assessment.view_externalassessment", record)
    return _file_response(record.document, record.original_name)


urlpatterns = [
    path("cabinet/project/<int:enrolment_pk>/", my_project, name="my_project"),
    path("cabinet/project/<int:enrolment_pk>/file/", my_project_file, name="my_project_file"),
    path("cabinet/project/<int:enrolment_pk>/external-document/", my_external_document, name="my_external_document"),
    path("staff/assessment/cohorts/<int:cohort_pk>/projects/", project_works, name="project_works"),
    path("staff/assessment/projects/<int:work_pk>/", project_score, name="project_score"),
    path("staff/assessment/projects/<int:work_pk>/file/", project_file, name="project_file"),
    path("staff/assessment/enrolments/<int:enrolment_pk>/external/", external_assessment, name="external_assessment"),
    path(
        "staff/assessment/enrolments/<int:enrolment_pk>/external/document/",
        external_document,
        name="external_document",
    ),
]
