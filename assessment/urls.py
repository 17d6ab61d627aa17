from django.urls import include, path

from .views import results

app_name = "assessment"

urlpatterns = [
    path("cabinet/references/<int:enrolment_pk>.pdf", results.reference_pdf, name="reference_pdf"),
    path(
        "staff/assessment/references/<int:enrolment_pk>.pdf",
        results.staff_reference_pdf,
        name="staff_reference_pdf",
    ),
    path(
        "staff/assessment/cohorts/<int:cohort_pk>/module-grades/",
        results.module_grades,
        name="module_grades",
    ),
    # Each area's views module holds its own routes.
    path("", include("assessment.views.bank")),
    path("", include("assessment.views.testing")),
    path("", include("assessment.views.staff_tests")),
    path("", include("assessment.views.project")),
]
