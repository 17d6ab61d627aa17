from django.urls import path

from . import bulk_views, staff_views, views

app_name = "certificates"

urlpatterns = [
    path("verify/<str:token>/", views.verify, name="verify"),
    path("cabinet/certificates/<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("cabinet/certificates/<int:pk>/appendix.pdf", views.appendix_pdf, name="appendix_pdf"),
    path("staff/certificates/<int:pk>/", views.certificate_staff, name="certificate_staff"),
    path("staff/certificates/<int:pk>/history/", views.certificate_history, name="certificate_history"),
    path(
        "staff/certificates/cohorts/<int:cohort_pk>/",
        staff_views.cohort_certificates,
        name="cohort_certificates",
    ),
    path("staff/certificates/<int:pk>/revoke/", staff_views.certificate_revoke_form, name="certificate_revoke"),
    path(
        "staff/certificates/cohorts/<int:cohort_pk>/certificates.zip",
        bulk_views.cohort_certificates_zip,
        name="cohort_certificates_zip",
    ),
    path("partner/certificates.zip", bulk_views.partner_certificates_zip, name="partner_certificates_zip"),
]
