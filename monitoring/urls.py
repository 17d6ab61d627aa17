"""Monitoring's pages: dashboards, effectiveness reviews and reports; the satisfaction questionnaire,
trainers' self-analysis and the NOBD deadlines."""

from django.urls import path

from . import feedback_views, views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("programs/<int:pk>/", views.program_page, name="program"),
    path("cohorts/<int:pk>/", views.cohort_page, name="cohort"),
    path("programs/<int:pk>/diagnostics/", views.program_diagnostics_page, name="program_diagnostics"),
    *feedback_views.urlpatterns,
]
