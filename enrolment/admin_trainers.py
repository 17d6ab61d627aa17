"""The back-office of the trainers' registry (001 §3, §21-22, 003 §5).

A trainer is added on the registry's own page (it creates the staff account too); here the records are
searched, filtered and corrected, and every change goes through the same rules as the registry page.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from ziat.errors import DomainError
from ziat.uploads import SCAN_TYPES, check_document

from .models import Trainer
from .services.trainers import (
    DOCUMENT_FIELDS,
    TRAINER_FIELDS,
    check_trainer_rules,
    qualifying_q,
    qualifying_reasons,
    trainer_update,
)


class CountsFilter(admin.SimpleListFilter):
    title = _("counts towards 40%")
    parameter_name = "counts"

    def lookups(self, request, model_admin):
        return [("1", _("yes")), ("0", _("no"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(qualifying_q())
        if self.value() == "0":
            return queryset.exclude(qualifying_q())
        return queryset


class TrainerAdminForm(forms.ModelForm):
    class Meta:
        model = Trainer
        fields = [*TRAINER_FIELDS, *DOCUMENT_FIELDS]

    def _document(self, name):
        upload = self.cleaned_data.get(name)
        if isinstance(upload, UploadedFile):  # a new upload, not the stored file
            try:
                check_document(upload, types=SCAN_TYPES)
            except DomainError as e:
                raise ValidationError(e.message) from None
        return upload

    def clean_certificate(self):
        return self._document("certificate")

    def clean_contract_document(self):
        return self._document("contract_document")

    def clean(self):
        data = super().clean()
        probe = Trainer(**{name: data[name] for name in TRAINER_FIELDS if name in data})
        try:
            check_trainer_rules(probe)
        except DomainError as e:
            raise ValidationError(e.message) from None
        return data


@admin.register(Trainer)
class TrainerAdmin(admin.ModelAdmin):
    form = TrainerAdminForm
    list_display = (
        "__str__",
        "username",
        "kind",
        "academic_degree",
        "category",
        "industry_experience",
        "is_certified",
        "contract_type",
        "is_active",
        "counts",
    )
    list_filter = ("kind", "academic_degree", "category", "is_certified", "contract_type", "is_active", CountsFilter)
    search_fields = ("user__username", "user__last_name", "user__first_name", "profile", "certificate_number")
    list_select_related = ("user",)
    fields = ("user", *TRAINER_FIELDS, *DOCUMENT_FIELDS)
    readonly_fields = ("user",)

    def has_add_permission(self, request):
        return False  # added on the registry page, which creates the staff account as well

    @admin.display(description=_("login"), ordering="user__username")
    def username(self, obj):
        return obj.user.username

    @admin.display(description=_("counts towards 40%"))
    def counts(self, obj):
        return "; ".join(qualifying_reasons(obj)) or "—"

    def save_model(self, request, obj, form, change):
        user = obj.user
        documents = {
            name: form.cleaned_data.get(name) if isinstance(form.cleaned_data.get(name), UploadedFile) else None
            for name in DOCUMENT_FIELDS
        }
        trainer_update(
            obj,
            by=request.user,
            last_name=user.last_name,
            first_name=user.first_name,
            middle_name=user.middle_name,
            email=user.email,
            **{name: form.cleaned_data[name] for name in TRAINER_FIELDS},
            **documents,
        )
