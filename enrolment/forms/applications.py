"""Forms of a teacher's application (001 App. 1, 003 App. 1-2, §6.2), the registrar's return and password reset."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from ziat.errors import DomainError
from ziat.forms import EMPTY_CHOICE
from ziat.uploads import SCAN_TYPES, check_document

from ..enums import DocumentKind, Region, Sex
from ..models import Listener
from ..services.applications import cohort_fundings, cohort_languages
from .iin_fields import IINDerivedFieldsMixin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegisterForm(IINDerivedFieldsMixin, forms.Form):
    """The account of a teacher who applies for the first time; the IIN is the login (and says the birth date
    and the sex)."""

    sex_field = "sex"

    iin = forms.CharField(
        label=_("IIN"),
        min_length=12,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
    birth_date = forms.DateField(label=_("date of birth"), widget=DateInput())
    sex = forms.ChoiceField(label=_("sex"), choices=Sex.choices, widget=forms.RadioSelect)
    last_name = forms.CharField(label=_("last name"), max_length=150)
    first_name = forms.CharField(label=_("first name"), max_length=150)
    middle_name = forms.CharField(label=_("middle name"), max_length=150, required=False)
    email = forms.EmailField(label=_("e-mail"))
    password1 = forms.CharField(
        label=_("password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    iin_taken = False

    def clean_iin(self):
        iin = super().clean_iin()
        if Listener.objects.filter(iin=iin).exists():
            self.iin_taken = True
            raise forms.ValidationError(_("An account with this IIN already exists: log in instead."))
        return iin

    def clean(self):
        data = super().clean()
        iin = data.get("iin")
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            user = get_user_model()(
                username=iin or "",
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                email=data.get("email", ""),
            )
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as e:
                self.add_error("password1", e)
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "iin": data["iin"],
            "birth_date": data["birth_date"],
            "sex": data["sex"],
            "last_name": data["last_name"],
            "first_name": data["first_name"],
            "middle_name": data["middle_name"],
            "email": data["email"],
            "password": data["password1"],
        }


class ApplicationForm(forms.Form):
    """The application and the questionnaire (003 App. 2) with the documents (003 §6.2).

    Nothing is required here: a draft may be saved at any time; completeness is checked on submission.
    """

    language = forms.ChoiceField(label=_("language of instruction"))
    funding = forms.ChoiceField(label=_("funding"), widget=forms.RadioSelect)
    position = forms.CharField(label=_("position"), max_length=200, required=False)
    education = forms.CharField(
        label=_("education"),
        max_length=300,
        required=False,
        help_text=_("Level, institution, speciality and year of graduation."),
    )
    category = forms.CharField(label=_("qualification category"), max_length=100, required=False)
    category_valid_until = forms.DateField(label=_("category valid until"), required=False, widget=DateInput())
    workplace = forms.CharField(
        label=_("workplace"),
        max_length=300,
        required=False,
        help_text=_("The full name of the organisation."),
    )
    region = forms.ChoiceField(label=_("region"), choices=[EMPTY_CHOICE, *Region.choices], required=False)
    experience_total = forms.IntegerField(label=_("total experience, years"), min_value=0, max_value=80, required=False)
    experience_teaching = forms.IntegerField(
        label=_("teaching experience, years"), min_value=0, max_value=80, required=False
    )
    address = forms.CharField(label=_("address"), max_length=300, required=False)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    additional = forms.CharField(
        label=_("additional information"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    id_copy = forms.FileField(label=DocumentKind.ID_COPY.label, required=False)
    diploma = forms.FileField(label=DocumentKind.DIPLOMA.label, required=False)
    referral = forms.FileField(label=DocumentKind.REFERRAL.label, required=False)

    QUESTIONNAIRE = (
        "position",
        "education",
        "category",
        "category_valid_until",
        "workplace",
        "region",
        "experience_total",
        "experience_teaching",
        "address",
        "phone",
        "additional",
    )
    DOCUMENTS = ("id_copy", "diploma", "referral")

    def __init__(self, *args, application, **kwargs):
        listener = application.listener
        initial = {name: getattr(listener, name) for name in self.QUESTIONNAIRE}
        initial.update(language=application.language, funding=application.funding, email=listener.user.email)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        cohort = application.cohort
        self.fields["language"].choices = [(lang.value, lang.label) for lang in cohort_languages(cohort)]
        self.fields["funding"].choices = [(f.value, f.label) for f in cohort_fundings(cohort)]
        for name in self.DOCUMENTS:
            self.fields[name].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"
            self.fields[name].help_text = _("PDF, JPEG or PNG.")

    def _clean_document(self, name):
        upload = self.cleaned_data.get(name)
        if upload:
            try:
                check_document(upload, types=SCAN_TYPES)
            except DomainError as e:
                raise forms.ValidationError(e.message) from None
        return upload

    def clean_id_copy(self):
        return self._clean_document("id_copy")

    def clean_diploma(self):
        return self._clean_document("diploma")

    def clean_referral(self):
        return self._clean_document("referral")

    def clean(self):
        data = super().clean()
        total, teaching = data.get("experience_total"), data.get("experience_teaching")
        if total is not None and teaching is not None and teaching > total:
            self.add_error(
                "experience_teaching", _("The teaching experience cannot be longer than the total experience.")
            )
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        kwargs = {name: data[name] for name in self.QUESTIONNAIRE}
        for name in ("position", "education", "category", "workplace", "address", "phone"):
            kwargs[name] = kwargs[name].strip()
        kwargs.update(language=data["language"], funding=data["funding"], email=data["email"].strip())
        kwargs["documents"] = {name: data[name] for name in self.DOCUMENTS if data.get(name)}
        return kwargs


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for return"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The listener sees it in the cabinet and receives it by e-mail."),
    )


class ResetForm(PasswordResetForm):
    """Password reset by e-mail or IIN; listeners created from lists (no password yet) may set one."""

    email = forms.CharField(
        label=_("e-mail or IIN"), max_length=254, widget=forms.TextInput(attrs={"autocomplete": "email"})
    )

    def get_users(self, email):
        value = email.strip()
        users = get_user_model()._default_manager.filter(is_active=True).exclude(email="")
        if value.isdigit() and len(value) == 12:
            users = users.filter(username=value)
        else:
            users = users.filter(email__iexact=value)
        return (
            u
            for u in users.select_related("listener")
            if u.has_usable_password() or getattr(u, "listener", None) is not None
        )
