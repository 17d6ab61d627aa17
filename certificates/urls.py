from django.urls import path

from . import bulk_views, internship_views, reference_views, staff_views, verify_views, views

app_name = "certificates"

# The public verification comes first: ziat/urls.py includes these patterns before all others, so that a
# scanned QR code's address is resolved at once.
urlpatterns = [
    path("verify/key/", verify_views.public_key, name="public_key"),
    path("verify/key.pem", verify_views.public_key_pem, name="public_key_pem"),
    path("verify/key.json", verify_views.public_key_json, name="public_key_json"),
    path("verify/<str:token>/", verify_views.verify, name="verify"),
    path("verify/<path:token>.json", verify_views.verify_json, name="verify_json"),
    path("verify/", verify_views.lookup, name="lookup"),
    path("cabinet/certificates/<int:pk>/badge.json", verify_views.badge, name="badge"),
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
    # The register of references of attendance (000 §3.9, 001 §31).
    path("staff/certificates/references/", reference_views.reference_register, name="reference_register"),
    # TVET internships (SPEC 5.5; 001 §30, App. 5, App. 6).
    path("verify/internship/<str:token>/", internship_views.verify_internship, name="verify_internship"),
    path(
        "cabinet/internships/<int:pk>/certificate.pdf",
        internship_views.internship_certificate_pdf,
        name="internship_certificate_pdf",
    ),
    path("staff/certificates/internships/", internship_views.internship_list, name="internship_list"),
    path(
        "staff/certificates/internships/<int:enrolment_pk>/",
        internship_views.internship_detail,
        name="internship_detail",
    ),
    path(
        "staff/certificates/internships/<int:enrolment_pk>/issue/",
        internship_views.internship_issue,
        name="internship_issue",
    ),
    path(
        "staff/certificates/internships/<int:enrolment_pk>/reference.pdf",
        internship_views.internship_reference_pdf,
        name="internship_reference_pdf",
    ),
    path(
        "staff/certificates/internships/<int:enrolment_pk>/certificate.pdf",
        internship_views.internship_certificate_staff_pdf,
        name="internship_certificate_staff_pdf",
    ),
    path(
        "staff/certificates/<int:pk>/duplicate/", staff_views.certificate_duplicate_form, name="certificate_duplicate"
    ),
    path("staff/certificates/<int:pk>/reissue/", staff_views.certificate_reissue_form, name="certificate_reissue"),
    path("staff/certificates/", staff_views.register, name="register"),
    path("staff/certificates/export/", staff_views.register_export, name="register_export"),
    path(
        "cabinet/certificates/duplicates/<int:pk>/certificate.pdf",
        views.duplicate_certificate_pdf,
        name="duplicate_certificate_pdf",
    ),
    path(
        "cabinet/certificates/duplicates/<int:pk>/appendix.pdf",
        views.duplicate_appendix_pdf,
        name="duplicate_appendix_pdf",
    ),
    path(
        "staff/certificates/cohorts/<int:cohort_pk>/certificates.zip",
        bulk_views.cohort_certificates_zip,
        name="cohort_certificates_zip",
    ),
    path("partner/certificates.zip", bulk_views.partner_certificates_zip, name="partner_certificates_zip"),
]
