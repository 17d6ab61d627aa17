"""Forms of the trainers' registry (001 §3, §21, 003 §5): the trainer's account and record."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ziat.errors import DomainError
from ziat.uploads import SCAN_TYPES, check_document

from ..enums import AcademicDegree, ContractType, TrainerCategory, TrainerKind
from ..services.trainers import DOCUMENT_FIELDS, TRAINER_FIELDS


class TrainerForm(forms.Form):
    """A trainer's account (login and names, only when created) and the registry record."""

    username = forms.CharField(label=_("login"), max_length=150)
    password = forms.CharField(
        label=_("password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty: the trainer then sets a password with “Forgot your password?”."),
    )
    last_name = forms.CharField(label=_("last name"), max_length=150)
    first_name = forms.CharField(label=_("first name"), max_length=150)
    middle_name = forms.CharField(label=_("middle name"), max_length=150, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=TrainerKind.choices)
    profile = forms.CharField(label=_("profile (subjects)"), max_length=300, required=False)
    education = forms.CharField(label=_("education (degree)"), max_length=300, required=False)
    academic_degree = forms.ChoiceField(label=_("academic degree"), choices=AcademicDegree.choices)
    category = forms.ChoiceField(label=_("qualification category"), choices=TrainerCategory.choices)
    industry_experience = forms.IntegerField(
        label=_("industry experience, years"),
        min_value=0,
        max_value=80,
        initial=0,
        help_text=_("An industry specialist needs at least 3 years (001 §21)."),
    )
    is_certified = forms.BooleanField(label=_("certified trainer"), required=False)
    certificate_number = forms.CharField(
        label=_("trainer's certificate No."),
        max_length=100,
        required=False,
        help_text=_("Required for an external trainer (003 §5.1.5)."),
    )
    certificate = forms.FileField(label=_("trainer's certificate"), required=False, help_text=_("PDF, JPEG or PNG."))
    contract_type = forms.ChoiceField(label=_("contract"), choices=ContractType.choices)
    contract_document = forms.FileField(label=_("contract document"), required=False, help_text=_("PDF, JPEG or PNG."))
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args, with_account=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_account:
            del self.fields["username"]
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password)
        return password

    def _clean_document(self, name):
        upload = self.cleaned_data.get(name)
        if upload:
            try:
                check_document(upload, types=SCAN_TYPES)
            except DomainError as e:
                raise ValidationError(e.message) from None
        return upload

    def clean_certificate(self):
        return self._clean_document("certificate")

    def clean_contract_document(self):
        return self._clean_document("contract_document")

    def account(self):
        """The user's fields for the service."""
        names = ("username", "password", "last_name", "first_name", "middle_name", "email")
        return {name: self.cleaned_data[name] for name in names if name in self.fields}

    def record(self):
        """The trainer's fields and documents for the service."""
        return {name: self.cleaned_data[name] for name in (*TRAINER_FIELDS, *DOCUMENT_FIELDS)}

    @classmethod
    def initial_for(cls, trainer):
        user = trainer.user
        initial = {name: getattr(trainer, name) for name in TRAINER_FIELDS}
        initial.update(
            last_name=user.last_name, first_name=user.first_name, middle_name=user.middle_name, email=user.email
        )
        return initial
