"""Forms of partners' requests: the request itself, one teacher, the uploaded list and its confirmation."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core import signing
from django.utils.translation import gettext_lazy as _

from ..models import Representative, RequestedTeacher, TeacherRequest
from ..selectors import open_cohorts
from .iin_fields import IINDerivedFieldsMixin

# The checked list travels from the report to the confirmation signed, so that it cannot be altered.
UPLOAD_SALT = "enrolment.requests.upload"
UPLOAD_MAX_AGE = 60 * 60  # seconds


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.program} ({obj.starts_on:%d.%m.%Y} – {obj.ends_on:%d.%m.%Y})"


class RequestForm(forms.ModelForm):
    cohort = CohortChoiceField(label=_("cohort"), queryset=None)

    class Meta:
        model = TeacherRequest
        fields = ["cohort", "letter_number", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The request's own cohort stays selectable (whether it is open is checked when it changes).
        self.fields["cohort"].queryset = open_cohorts(also=self.instance.cohort_id if self.instance.pk else None)


class TeacherForm(IINDerivedFieldsMixin, forms.ModelForm):
    class Meta:
        model = RequestedTeacher
        fields = [
            "iin",
            "last_name",
            "first_name",
            "middle_name",
            "birth_date",
            "position",
            "subject",
            "email",
            "phone",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def validate_unique(self):
        """Duplicates are checked by the service together with the other rules of a row."""


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    replace = forms.BooleanField(
        label=_("Replace the current list of teachers"),
        required=False,
        help_text=_("Otherwise the teachers of the file are added to the list."),
    )


def sign_rows(teacher_request, rows, *, replace):
    return signing.dumps(
        {"request": teacher_request.pk, "replace": bool(replace), "rows": rows}, salt=UPLOAD_SALT, compress=True
    )


class UploadConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, teacher_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.teacher_request = teacher_request

    def clean_payload(self):
        try:
            data = signing.loads(self.cleaned_data["payload"], salt=UPLOAD_SALT, max_age=UPLOAD_MAX_AGE)
        except signing.SignatureExpired:
            raise forms.ValidationError(_("The checked list is too old; upload the file again.")) from None
        except signing.BadSignature:
            raise forms.ValidationError(_("The checked list cannot be read; upload the file again.")) from None
        if not isinstance(data, dict) or data.get("request") != self.teacher_request.pk:
            raise forms.ValidationError(_("The checked list belongs to another request; upload the file again."))
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("reason for return"), widget=forms.Textarea(attrs={"rows": 3}))


class RepresentativeCreateForm(forms.ModelForm):
    """The back-office's form for a new representative: the user account is made with it."""

    username = forms.CharField(label=_("login"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150)
    first_name = forms.CharField(label=_("first name"), max_length=150)
    middle_name = forms.CharField(label=_("middle name"), max_length=150, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    password1 = forms.CharField(
        label=_("password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Leave empty to let the representative set it through the password reset."),
    )
    password2 = forms.CharField(label=_("password again"), widget=forms.PasswordInput, required=False)

    class Meta:
        model = Representative
        fields = ["partner", "position"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This login is already taken."))
        return username

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first or second:
            if first != second:
                self.add_error("password2", _("The two passwords differ."))
            else:
                user = get_user_model()(
                    username=data.get("username", ""),
                    first_name=data.get("first_name", ""),
                    last_name=data.get("last_name", ""),
                    email=data.get("email", ""),
                )
                try:
                    password_validation.validate_password(first, user)
                except forms.ValidationError as e:
                    self.add_error("password1", e)
        return data
