from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.shortcuts import render

from enrolment.enums import EnrolmentStatus
from enrolment.models import Cohort


@permission_required("enrolment.view_cohort", raise_exception=True)
def dashboard(request):
    """Per cohort: listeners enrolled, results recorded, certificates issued."""
    cohorts = (
        Cohort.objects.select_related("program")
        .annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED), distinct=True),
            with_result=Count("enrolments__final_result", distinct=True),
            certified=Count("enrolments__certificate", distinct=True),
        )
        .order_by("-starts_on")
    )
    return render(request, "monitoring/dashboard.html", {"cohorts": cohorts})
