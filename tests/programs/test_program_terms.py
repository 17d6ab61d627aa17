"""A program's titles, form of study, language and authors are corrected on its staff page while the current
version is drafted (000 §2.8); once sent out or approved they change only with a new version."""

import pytest
from django.urls import reverse

from programs.enums import FormOfStudy, Language
from programs.models import Program
from tests.factories import program, staff_user
from ziat.models import ActivityLog


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _url(prog):
    return reverse("programs:staff_edit", args=[prog.pk])


def _terms(**kwargs):
    data = {
        "title_kk": "Жаңа атауы",
        "title_ru": "Новое название",
        "form_of_study": FormOfStudy.values[0],
        "language": Language.RU,
        "authors": "Ахметова Д.",
    }
    data.update(kwargs)
    return data


def test_a_methodist_corrects_the_terms_of_a_draft_000_2_8(client, org):
    draft = program(approved=False)
    methodist = staff_user("methodist")
    client.force_login(methodist)
    assert client.get(_url(draft)).status_code == 200
    assert _url(draft) in client.get(reverse("programs:staff_detail", args=[draft.pk])).content.decode()
    response = client.post(_url(draft), _terms())
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title_ru, draft.language, draft.authors) == ("Новое название", Language.RU, "Ахметова Д.")
    entry = ActivityLog.objects.filter(action="programs.program.terms_saved").get()
    assert entry.actor == methodist and entry.program_id == draft.pk
    assert entry.data["after"]["title_ru"] == "Новое название"
    assert entry.data["before"]["title_ru"] != "Новое название"


def test_a_program_without_a_title_is_refused_and_nothing_changes(client, org):
    draft = program(approved=False)
    before = Program.objects.values().get(pk=draft.pk)
    client.force_login(staff_user("methodist"))
    response = client.post(_url(draft), _terms(title_kk=" ", title_ru="", language="xx"))
    assert response.status_code == 400
    assert response.context["form"].errors["language"]
    response = client.post(_url(draft), _terms(title_kk=" ", title_ru=""))
    assert response.status_code == 400
    assert "title" in " ".join(response.context["form"].non_field_errors())
    assert Program.objects.values().get(pk=draft.pk) == before


def test_an_approved_program_keeps_its_terms_000_2_12(client, org):
    approved = program()
    before = Program.objects.values().get(pk=approved.pk)
    client.force_login(staff_user("director"))
    page = client.get(_url(approved))
    assert 'id="not-editable"' in page.content.decode()
    assert client.post(_url(approved), _terms()).status_code == 400
    assert Program.objects.values().get(pk=approved.pk) == before


@pytest.mark.parametrize("role", ["trainer", "registrar", "accountant"])
def test_roles_that_do_not_write_programs_are_refused(client, org, role):
    draft = program(approved=False)
    client.force_login(staff_user(role))
    assert client.post(_url(draft), _terms()).status_code == 403
    draft.refresh_from_db()
    assert draft.title_ru != "Новое название"
