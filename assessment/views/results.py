"""Assessment pages: the reference of attendance (000 §3.9, 001 §31) and the module grades (001 App. 4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from enrolment.models import Cohort, Enrolment
from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.refusals import staff_required

from .. import selectors
from ..enums import ModuleGradeRule
from ..services.module_rules import module_grades_fill, module_rule
from ..services.results import module_grades_save

# The reference of attendance (000 §3.9, 001 §31). It is entered in its register by a POST, the listener's in
# the cabinet or staff's on the cohort's results; its PDF is then read by a GET, which registers nothing. The
# register is the certificates app's, a later stage: imported when needed.


def _enrolment_for_reference(**filters):
    return Enrolment.objects.select_related("cohort__program", "listener__user").filter(**filters).first()


def _own_enrolment(request, enrolment_pk):
    """The listener's own enrolment; anyone else's is not found."""
    listener = getattr(request.user, "listener", None)
    enrolment = _enrolment_for_reference(pk=enrolment_pk, listener=listener) if listener is not None else None
    if enrolment is None:
        raise Http404
    return enrolment


def _staff_enrolment(request, enrolment_pk):
    enrolment = _enrolment_for_reference(pk=enrolment_pk)
    if enrolment is None:
        raise Http404
    access.check(request.user, "assessment.view_finalresult", enrolment)
    return enrolment


def _register(request, enrolment, *, back):
    """Register the enrolment's reference (or find the one registered) and open its PDF; a refusal goes back."""
    from certificates.references import reference_register

    try:
        reference_register(enrolment, by=request.user)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect(back)
    return None


def _registered_pdf(request, enrolment):
    """The registered reference's file; a reference not registered yet is not found (a GET registers nothing)."""
    from certificates.models import Reference
    from certificates.references import reference_document_page

    reference = Reference.objects.select_related("document").filter(enrolment=enrolment).first()
    if reference is None:
        raise Http404
    return reference_document_page(request, reference)


@login_required
@require_POST
def reference_request(request, enrolment_pk):
    """The listener asks for their reference of attendance: it is registered (once), then its PDF opens."""
    enrolment = _own_enrolment(request, enrolment_pk)
    refused_ = _register(request, enrolment, back="enrolment:cabinet")
    return refused_ or redirect("assessment:reference_pdf", enrolment_pk=enrolment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def reference_pdf(request, enrolment_pk):
    """The listener's own registered reference of attendance; anyone else's is not found."""
    return _registered_pdf(request, _own_enrolment(request, enrolment_pk))


@require_POST
@staff_required("assessment.view_finalresult")
def staff_reference_request(request, enrolment_pk):
    """Staff hand a listener their reference of attendance: registered (once), then its PDF opens."""
    enrolment = _staff_enrolment(request, enrolment_pk)
    refused_ = _register(request, enrolment, back=reverse("assessment:final_results", args=[enrolment.cohort_id]))
    return refused_ or redirect("assessment:staff_reference_pdf", enrolment_pk=enrolment.pk)


@require_http_methods(["GET", "POST"])
@staff_required("assessment.view_finalresult")
def staff_reference_pdf(request, enrolment_pk):
    return _registered_pdf(request, _staff_enrolment(request, enrolment_pk))


@require_http_methods(["GET", "POST"])
@staff_required("assessment.change_modulegrade")
def module_grades(request, cohort_pk):
    """The grid of listeners × modules of the cohort's program version, saved at once (001 App. 4), or filled
    by the program's rule for the listeners who passed."""
    cohort = get_object_or_404(Cohort.objects.select_related("program", "version"), pk=cohort_pk)
    access.check(request.user, "assessment.change_modulegrade", cohort)
    grid = selectors.module_grade_grid(cohort)
    error = None
    if request.method == "POST" and "fill" in request.POST:
        try:
            report = module_grades_fill(cohort=cohort, by=request.user)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            error = e.message
        else:
            _fill_message(request, report)
            return redirect("assessment:module_grades", cohort_pk=cohort.pk)
    elif request.method == "POST":
        grades = {}
        for key, value in request.POST.items():
            if not key.startswith("grade-"):
                continue
            try:
                enrolment_id, module_id = (int(part) for part in key.removeprefix("grade-").split("-"))
            except ValueError:
                error = _("The grade sheet does not match this cohort; nothing was saved.")
                break
            grades[(enrolment_id, module_id)] = value
        if error is None:
            try:
                module_grades_save(cohort=cohort, grades=grades, by=request.user)
            except PermissionDeniedError:
                raise
            except DomainError as e:
                error = e.message
            else:
                return redirect("assessment:module_grades", cohort_pk=cohort.pk)
        grid = selectors.module_grade_grid(cohort, typed=grades)
    rule = module_rule(cohort.program_id)
    context = {
        "cohort": cohort,
        "modules": grid["modules"],
        "rows": grid["rows"],
        "error": error,
        "rule": rule,
        "rule_label": ModuleGradeRule(rule).label,
        "may_fill": rule != ModuleGradeRule.TRAINER,
        "by_rule": {f"grade-{e}-{m}" for e, m in selectors.rule_cells(cohort)},
    }
    return render(request, "assessment/cohort/module_grades.html", context, status=400 if error else 200)


def _fill_message(request, report):
    if not report.listeners:
        messages.warning(request, _("No listener has passed yet; no grades were filled."))
        return
    messages.success(
        request,
        _(
            "Grades filled by the program's rule: %(filled)s. Grades entered by the trainer, kept as they are: "
            "%(kept)s. Listeners who have not passed, left without grades: %(not_passed)s."
        )
        % {"filled": report.filled, "kept": report.kept, "not_passed": report.not_passed},
    )


urlpatterns = [
    path("cabinet/references/<int:enrolment_pk>.pdf", reference_pdf, name="reference_pdf"),
    path("cabinet/references/<int:enrolment_pk>/request/", reference_request, name="reference_request"),
    path("staff/assessment/references/<int:enrolment_pk>.pdf", staff_reference_pdf, name="staff_reference_pdf"),
    path(
        "staff/assessment/references/<int:enrolment_pk>/request/",
        staff_reference_request,
        name="staff_reference_request",
    ),
    path("staff/assessment/cohorts/<int:cohort_pk>/module-grades/", module_grades, name="module_grades"),
]
