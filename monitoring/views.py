from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from assessment.diagnostics import diagnostics_for_programs, program_diagnostics
from enrolment.enums import EnrolmentStatus
from enrolment.models import Cohort
from programs.models import Program


@permission_required("enrolment.view_cohort", raise_exception=True)
def dashboard(request):
    """Per cohort: listeners enrolled, results recorded, certificates issued, and the entrance vs final
    diagnostics (000 §4.5); the same diagnostics pooled per program."""
    cohorts = list(
        Cohort.objects.select_related("program")
        .annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED), distinct=True),
            with_result=Count("enrolments__final_result", distinct=True),
            # Listeners holding a certificate: a corrected reissue replaces one and is not counted twice.
            certified=Count(
                "enrolments__certificates",
                filter=Q(enrolments__certificates__replaced_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by("-starts_on")
    )
    programs = sorted({c.program_id: c.program for c in cohorts}.values(), key=lambda p: p.title)
    per_program = diagnostics_for_programs(programs)
    per_cohort = {c.pk: d for p in per_program.values() for c, d in p.cohorts}
    for c in cohorts:
        c.diagnostics = per_cohort[c.pk]
    rows = [(p, per_program[p.pk]) for p in programs]
    return render(request, "monitoring/dashboard.html", {"cohorts": cohorts, "programs": rows})


@permission_required("enrolment.view_cohort", raise_exception=True)
def program_diagnostics_page(request, pk):
    """The diagnostics of one program (000 §4.5): pooled, and per cohort with each milestone control."""
    program = get_object_or_404(Program, pk=pk)
    return render(
        request,
        "monitoring/program_diagnostics.html",
        {"program": program, "diagnostics": program_diagnostics(program)},
    )
