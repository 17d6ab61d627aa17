"""Monitoring's pages: dashboards, effectiveness reviews and reports; the satisfaction questionnaire,
trainers' self-analysis and the NOBD deadlines."""

from django.urls import path

from . import feedback_views, review_views, views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.dashboard_export, name="dashboard_export"),
    path("organisation/report/", views.partner_report, name="partner_report"),
    path("programs/<int:pk>/", views.program_page, name="program"),
    path("cohorts/<int:pk>/", views.cohort_page, name="cohort"),
    path("programs/<int:pk>/diagnostics/", views.program_diagnostics_page, name="program_diagnostics"),
    path("reviews/", review_views.reviews, name="reviews"),
    path("reviews/programs/<int:pk>/assemble/", review_views.review_assemble_view, name="review_assemble"),
    path("reviews/<int:pk>/", review_views.review_detail, name="review"),
    path("reviews/<int:pk>/conclude/", review_views.review_conclude_view, name="review_conclude"),
    path("reviews/<int:pk>/export/", review_views.review_export, name="review_export"),
    path("reviews/<int:pk>/approve/", review_views.review_approve_view, name="review_approve"),
    *feedback_views.urlpatterns,
]
