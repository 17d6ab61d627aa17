from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from assessment.outcomes import cohort_outcomes
from enrolment.models import Cohort
from ziat.errors import DomainError

from .models import AppendixLine, Certificate
from .services import certificate_revoke, certificates_issue_for_cohort


class AppendixLineInline(admin.TabularInline):
    model = AppendixLine
    extra = 0
    fields = ("position", "module_title_kk", "module_title_ru", "hours", "grade")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("reason for revocation"), widget=forms.Textarea, max_length=2000)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
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
        "revoked_reason",
        "revoked_by",
        "documents",
    )
    exclude = ("enrolment", "year", "sequence")
    inlines = [AppendixLineInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

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
            links.append((reverse("admin:certificates_certificate_revoke", args=[obj.pk]), _("Revoke")))
        return format_html(" · ".join(['<a href="{}">{}</a>'] * len(links)), *[x for pair in links for x in pair])

    def get_urls(self):
        return [
            path("issue/<int:pk>/", self.admin_site.admin_view(self.issue_view), name="certificates_cohort_issue"),
            path(
                "<int:pk>/revoke/", self.admin_site.admin_view(self.revoke_view), name="certificates_certificate_revoke"
            ),
            *super().get_urls(),
        ]

    def issue_view(self, request, pk):
        if not request.user.has_perm("certificates.view_certificate"):
            raise PermissionDenied
        cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=pk)
        can_issue = request.user.has_perm("certificates.issue_certificate")
        if request.method == "POST":
            if not can_issue:
                raise PermissionDenied
            try:
                issued, skipped = certificates_issue_for_cohort(cohort, by=request.user)
            except DomainError as e:
                self.message_user(request, e.message, messages.ERROR)
            else:
                self.message_user(request, _("Certificates issued: %(n)s.") % {"n": len(issued)})
                if skipped:
                    self.message_user(
                        request, _("Left without a certificate: %(n)s.") % {"n": len(skipped)}, messages.WARNING
                    )
                return redirect(request.path)
        outcomes = cohort_outcomes(cohort)
        certificates = {c.enrolment_id: c for c in Certificate.objects.filter(enrolment__cohort=cohort)}
        rows = [(o, certificates.get(o.enrolment.pk)) for o in outcomes]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Certificates: %(cohort)s") % {"cohort": cohort.code},
            "cohort": cohort,
            "rows": rows,
            "opts": self.model._meta,
            "can_issue": can_issue,
            "to_issue": sum(1 for o, c in rows if o.eligible and c is None),
        }
        return TemplateResponse(request, "certificates/cohort/issue.html", context)

    def revoke_view(self, request, pk):
        if not request.user.has_perm("certificates.revoke_certificate"):
            raise PermissionDenied
        certificate = get_object_or_404(Certificate, pk=pk)
        form = RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                certificate_revoke(certificate, by=request.user, reason=form.cleaned_data["reason"])
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                self.message_user(request, _("The certificate is revoked."))
                return redirect("admin:certificates_certificate_change", pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revoke certificate № %(number)s") % {"number": certificate.registration_number},
            "certificate": certificate,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "certificates/certificate/revoke.html", context)
