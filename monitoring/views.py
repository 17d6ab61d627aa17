"""Monitoring's pages for the director, the monitoring officer and the methodist (000 §4.4-4.5, 001 §38): the
dashboard of the selection, a program with its cohorts, a cohort with the six components; a trainer reaches
the same pages for the cohorts they teach."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessment.diagnostics import program_diagnostics
from enrolment.models import Cohort
from programs.models import Program
from ziat import access
from ziat.exports import export_start
from ziat.refusals import refused, staff_required

from .charts import Bar, bar_chart
from .filters import CohortSelection
from .models import SelfAnalysis
from .selectors import cohort_figures, needs_of_programs, needs_surveys, overview, pool

# Who reads the monitoring: the director, the methodist and the monitoring officer for every cohort, a
# trainer for the cohorts they teach (each of them reads the satisfaction counts).
PERM = "monitoring.view_satisfactiontally"
PAGE_SIZE = 20


def _query(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _gain_floor(values):
    return -100 if any(v is not None and v < 0 for v in values) else 0


def _charts(rows, periods, total):
    """The dashboard's charts: by program (the rows of the page) and by period."""
    named = [(str(r.program), r.figures) for r in rows]
    gains = [f.gain for _label, f in named]
    return [
        bar_chart(_("Pass rate by program"), [Bar(label, f.pass_rate) for label, f in named], ident="chart-pass"),
        bar_chart(
            _("Average attendance by program"),
            [Bar(label, f.attendance) for label, f in named],
            ident="chart-attendance",
        ),
        bar_chart(
            _("Learning gain by program, final − entrance, points of percent"),
            [Bar(label, f.gain) for label, f in named],
            ident="chart-gain",
            unit="",
            minimum=_gain_floor(gains),
        ),
        bar_chart(
            _("Satisfaction, average score of 5"),
            [Bar(s.label, s.average) for s in total.satisfaction_list],
            ident="chart-satisfaction",
            maximum=5,
            unit="",
        ),
        bar_chart(
            _("Pass rate by period of the course's end"),
            [Bar(label, f.pass_rate) for label, f in periods],
            ident="chart-pass-period",
        ),
        bar_chart(
            _("Follow-up: applying regularly or sometimes, by period"),
            [Bar(label, f.applying_share) for label, f in periods],
            ident="chart-follow-up",
        ),
    ]


@require_GET
@staff_required(PERM)
def dashboard(request):
    """The figures of the selection (000 §4.5): a summary, charts, and the programs with their figures, paged."""
    return _dashboard_page(request)


def _dashboard_page(request):
    """The dashboard of the selection in the address (400 when a filter is not valid)."""
    selection = CohortSelection(request.GET, user=request.user)
    valid = selection.is_valid()
    found = overview(selection) if valid else None
    page = Paginator(found.programs if found else [], PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": selection.form,
        "overview": found,
        "page": page,
        "query": _query(request),
        "charts": _charts(page.object_list, found.periods, found.total) if found else [],
        "centre_wide": access.centre_wide(request.user),
        # The needs analysis (000 §4.5 1)): every survey, and the programs developed with its results.
        "needs": needs_surveys() if access.centre_wide(request.user) else [],
        "export_url": reverse("monitoring:dashboard_export") if found and found.cohorts else "",
        "action": reverse("monitoring:dashboard"),
    }
    return render(request, "monitoring/dashboard/page.html", context, status=200 if valid else 400)


@require_http_methods(["GET", "POST"])
@staff_required(PERM)
def dashboard_export(request):
    """The dashboard's selection as an Excel workbook, written by a background job (the user's own reach;
    started by a POST, a GET shows the button that starts it)."""
    selection = CohortSelection(request.GET, user=request.user)
    if not selection.is_valid():
        return _dashboard_page(request)
    return export_start(
        request,
        builder="monitoring.reports.dashboard_file",
        kwargs={"user_id": request.user.pk, "filters": selection.plain(), "language": translation.get_language()},
        filename="monitoring.xlsx",
        title=_("Monitoring of programs' effectiveness"),
    )


@require_http_methods(["GET", "POST"])
def partner_report(request):
    """The report of an organisation's representative on their own teachers (sent through accepted requests):
    course, attendance, result, certificate and follow-up; never another organisation's. Written by a
    background job (started by a POST; a GET shows the button that starts it)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if access.partner_of(request.user) is None:
        return refused(request, _("This report is for the representative of an organisation."))
    return export_start(
        request,
        builder="monitoring.reports.partner_file",
        kwargs={"user_id": request.user.pk, "language": translation.get_language()},
        filename=f"teachers-report-{timezone.localdate():%Y%m%d}.xlsx",
        title=_("Report on our teachers"),
    )


@require_GET
@staff_required(PERM)
def program_page(request, pk):
    """A program's figures over its cohorts in the selection, the needs surveys behind it, its cohorts paged."""
    program = get_object_or_404(Program, pk=pk)
    access.check(request.user, PERM, program)
    selection = CohortSelection(request.GET, user=request.user, program=program)
    valid = selection.is_valid()
    cohorts = list(selection.qs) if valid else []
    if (
        not access.centre_wide(request.user)
        and not access.scope(request.user, Cohort.objects.filter(program=program)).exists()
    ):
        raise PermissionDenied
    per_cohort = cohort_figures(cohorts, organisation=selection.sent_by)
    figures = pool(per_cohort, {c.pk: f.diagnostics for c, f in per_cohort})
    page = Paginator(per_cohort, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "program": program,
        "form": selection.form,
        "figures": figures,
        "page": page,
        "query": _query(request),
        "needs": needs_of_programs([program.pk])[program.pk],
    }
    return render(request, "monitoring/dashboard/program.html", context, status=200 if valid else 400)


@require_GET
@staff_required(PERM)
def cohort_page(request, pk):
    """The six components of the monitoring of one cohort (000 §4.5)."""
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=pk)
    access.check(request.user, PERM, cohort)
    [(_cohort, figures)] = cohort_figures([cohort])
    analyses = SelfAnalysis.objects.filter(cohort=cohort).select_related("author").order_by("role", "pk")
    context = {
        "cohort": cohort,
        "figures": figures,
        "needs": needs_of_programs([cohort.program_id])[cohort.program_id],
        "analyses": analyses,
    }
    return render(request, "monitoring/dashboard/cohort.html", context)


@require_GET
@staff_required("enrolment.view_cohort")
def program_diagnostics_page(request, pk):
    """The diagnostics of one program (000 §4.5): pooled, and per cohort with each milestone control."""
    program = get_object_or_404(Program, pk=pk)
    access.check(request.user, "enrolment.view_cohort", program)
    return render(
        request,
        "monitoring/program_diagnostics.html",
        {"program": program, "diagnostics": program_diagnostics(program)},
    )
