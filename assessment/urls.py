from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("cabinet/references/<int:enrolment_pk>.pdf", views.reference_pdf, name="reference_pdf"),
    path(
        "staff/assessment/references/<int:enrolment_pk>.pdf",
        views.staff_reference_pdf,
        name="staff_reference_pdf",
    ),
    path(
        "staff/assessment/cohorts/<int:cohort_pk>/module-grades/",
        views.module_grades,
        name="module_grades",
    ),
]
