"""Forms speak the user's language: each error beside its own field, linked to its input; the IIN fills the date of
birth and the sex; no database constraint's name ever reaches a page; money and numbers as the language writes
them; one empty choice in every select."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from enrolment.forms.applications import ApplicationForm
from enrolment.iin import make_iin
from enrolment.models import Listener, RequestedTeacher, TeacherRequest
from tests.enrolment.test_requests_services import make_representative, open_cohort
from ziat import numbers

pytestmark = pytest.mark.django_db
BORN = datetime.date(1986, 9, 14)
PASSWORD = "Kurs-2026-secret"


def _client(language, user=None):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def _register(client, cohort, **overrides):
    data = {
        "iin": make_iin(BORN, 4321, female=True),
        "last_name": "Сәрсенова",
        "first_name": "Әйгерім",
        "email": "aigerim@example.kz",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return client.post(f"/apply/{cohort.pk}/", {k: v for k, v in data.items() if v is not None})


def field_block(html, name):
    """The rendered block of one field: from its wrapper to the next field's."""
    start = html.index('<div class="field', html.rindex('<div class="field', 0, html.index(f'id="id_{name}"')))
    end = html.find('<div class="field', start + 1)
    return html[start : end if end != -1 else len(html)]


def test_each_error_stands_beside_its_own_field_and_is_linked_to_its_input(org):
    response = _register(_client("kk"), open_cohort(), email="x@y", last_name="Ә" * 151)
    assert response.status_code == 200 and not Listener.objects.exists()
    html = response.content.decode()
    email = field_block(html, "email")
    assert 'id="id_email_error"' in email
    assert 'aria-invalid="true"' in email and re.search(r'aria-describedby="[^"]*id_email_error', email)
    assert 'id="id_last_name_error"' in field_block(html, "last_name")
    # The field after the e-mail carries no error of the e-mail's.
    assert "_error" not in field_block(html, "password2")


def test_a_long_form_lists_its_errors_above_it_with_links_to_the_fields(org):
    html = _register(_client("kk"), open_cohort(), email="x@y").content.decode()
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert 'href="#id_email"' in summary
    # A short form shows its errors only beside the fields.
    rep = make_representative()
    client = _client("kk", rep)
    response = client.post(reverse("enrolment:partner_request_create"), {"cohort": ""})
    html = response.content.decode()
    assert response.status_code in (200, 400) and 'id="id_cohort_error"' in html and "error-summary" not in html


def test_the_iin_fills_the_date_of_birth_and_the_sex_of_a_new_account_2_3(org):
    response = _register(_client("kk"), open_cohort(), birth_date=None, sex=None)
    assert response.status_code == 302, response.content.decode()[:2000]
    listener = Listener.objects.get()
    assert (listener.birth_date, listener.sex) == (BORN, "f")


def test_a_date_of_birth_or_sex_given_must_agree_with_the_iin_2_3(org):
    with translation.override("en"):
        response = _register(_client("en"), open_cohort(), birth_date="1986-09-15", sex="m")
    html = response.content.decode()
    assert response.status_code == 200 and not Listener.objects.exists()
    assert "does not agree with the IIN" in field_block(html, "birth_date")
    assert "7th digit of the IIN" in field_block(html, "sex")


def test_the_page_marks_the_derived_fields_for_the_script_that_fills_them(org):
    html = _client("kk").get(f"/apply/{open_cohort().pk}/").content.decode()
    assert re.search(r'<input[^>]*name="iin"[^>]*data-iin', html)
    assert re.search(r'<input[^>]*type="date"[^>]*data-iin-derived="birth_date"', html) or re.search(
        r'<input[^>]*data-iin-derived="birth_date"[^>]*type="date"', html
    )
    assert html.count('data-iin-derived="sex"') == 2
    assert "ziat/js/forms.js" in html


def test_a_school_adding_a_teacher_with_a_bad_iin_reads_no_constraint_name_2_1(org):
    rep = make_representative()
    client = _client("kk", rep)
    client.post(reverse("enrolment:partner_request_create"), {"cohort": open_cohort().pk})
    item = TeacherRequest.objects.get()
    url = reverse("enrolment:partner_teacher_add", args=[item.pk])
    response = client.post(url, {"iin": "123", "last_name": "Жұмабаева", "first_name": "Гүлнар", "email": "bad"})
    html = response.content.decode()
    assert response.status_code == 400 and not RequestedTeacher.objects.exists()
    assert "requested_teacher_iin" not in html and "Constraint" not in html and "is violated" not in html
    assert 'id="id_iin_error"' in field_block(html, "iin")
    # The IIN alone gives the date of birth.
    iin = make_iin(datetime.date(1990, 2, 3), 55)
    response = client.post(url, {"iin": iin, "last_name": "Жұмабаева", "first_name": "Гүлнар"})
    assert response.status_code == 302
    assert RequestedTeacher.objects.get().birth_date == datetime.date(1990, 2, 3)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "45\xa0000,00\xa0₸"), ("ru", "45\xa0000,00\xa0₸"), ("en", "45,000.00\xa0₸")],
)
def test_money_is_written_as_the_language_writes_it_2_4(language, expected):
    with translation.override(language):
        assert numbers.money(Decimal("45000")) == expected
        assert numbers.money(None) == ""


def test_the_schedule_shows_a_paid_courses_price_in_kazakh_figures_2_4(org):
    open_cohort(funding="own", price=Decimal("45000"))
    html = _client("kk").get(reverse("enrolment:public_schedule")).content.decode()
    assert "45\xa0000,00\xa0₸" in html and "45000.00" not in html


def test_one_decimal_separator_in_kazakh():
    from django.template import Context, Template

    with translation.override("kk"):
        assert Template("{{ x|floatformat:1 }}").render(Context({"x": 2.5})) == "2,5"


# Filter forms, where the empty choice means "any", not "choose one".
FILTER_MODULES = {"certificates/register.py"}


def test_every_select_has_the_same_empty_choice():
    """No form of the project writes its own dashes for the empty choice: Django's label, translated, is the one."""
    root = Path(settings.BASE_DIR)
    own_dashes = re.compile(r"""\(\s*["']["']\s*,\s*["'](-{3,}|—)["']\s*\)""")
    offenders = [
        str(path.relative_to(root))
        for app in ("ziat", "programs", "enrolment", "assessment", "certificates", "postcourse", "monitoring")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts and own_dashes.search(path.read_text(encoding="utf-8"))
    ]
    assert sorted(set(offenders) - FILTER_MODULES) == []
    with translation.override("kk"):
        html = ApplicationForm.base_fields["region"].widget.render("region", "")
    assert '<option value="" selected>— Таңдаңыз —</option>' in html


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_browser_date_input_gets_its_value_in_iso_in_every_language(language):
    from django import forms

    class Dates(forms.Form):
        on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    with translation.override(language):
        form = Dates(initial={"on": datetime.date(2026, 3, 5), "at": datetime.datetime(2026, 3, 5, 9, 30)})
        html = str(form["on"]) + str(form["at"])
        assert 'value="2026-03-05"' in html and 'value="2026-03-05 09:30:00"' in html
        if language != "en":  # a date typed the local way is read too
            assert Dates({"on": "05.03.2026", "at": "05.03.2026 09:30"}).is_valid()
