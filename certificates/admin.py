"""The register of certificates for reading: they are issued and revoked on the director's staff pages."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ziat.admin_mixins import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import AppendixLine, Certificate, CertificateDuplicate


class AppendixLineInline(ReadOnlyTabularInline):
    model = AppendixLine
    fields = ("position", "module_title_kk", "module_title_ru", "hours", "grade_kk", "grade_ru")
    readonly_fields = fields


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("registration_number", "holder_name", "issued_on", "valid_until", "state_display", "documents")
    list_filter = ("year",)
    search_fields = ("registration_number", "holder_name")
    readonly_fields = (
        "registration_number",
        "holder_name",
        "program_title_kk",
        "program_title_ru",
        "hours",
        "issued_on",
        "valid_until",
        "issued_by",
        "revoked_at",
        "revoked_category",
        "revoked_reason",
        "revoked_by",
        "documents",
    )
    exclude = ("enrolment", "year", "sequence", "replaces", "replaced_at")
    inlines = [AppendixLineInline]

    @admin.display(description=_("state"))
    def state_display(self, obj):
        return obj.state.label

    @admin.display(description=_("documents"))
    def documents(self, obj):
        links = [
            (reverse("certificates:certificate_pdf", args=[obj.pk]), _("Certificate")),
            (reverse("certificates:appendix_pdf", args=[obj.pk]), _("Appendix")),
            (obj.verification_path, _("Verification page")),
        ]
        if not obj.revoked_at:
            links.append((reverse("certificates:certificate_revoke", args=[obj.pk]), _("Revoke")))
        return format_html(" · ".join(['<a href="{}">{}</a>'] * len(links)), *[x for pair in links for x in pair])


@admin.register(CertificateDuplicate)
class CertificateDuplicateAdmin(ReadOnlyAdmin):
    list_display = ("certificate", "issued_on", "reason")
    exclude = ("token",)
