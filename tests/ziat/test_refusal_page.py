"""One refusal page for every refusal: a staff page's gate, a view's check of the record, a service's refusal that
reaches the view, Django's PermissionDenied. Status 403, the base layout for every kind of user, the reason in
the user's language, a link back and a link home (``ziat.refusals``)."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import translation

from enrolment.models import Cohort, Partner, Representative
from programs.models import ComplexItem
from tests.factories import UserFactory, cohort, enrolment, program, staff_user, teach

KK = "kk"


def kazakh_client(user=None, **headers):
    client = Client(HTTP_ACCEPT_LANGUAGE=KK, **headers)
    if user is not None:
        client.force_login(user)
    return client


def assert_refusal_page(response, reason=None):
    """The one page: 403, the template, the base layout, the reason (or the general explanation) in Kazakh and
    a link home."""
    html = response.content.decode()
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert 'class="site-header"' in html and 'class="site-footer"' in html and f'<html lang="{KK}">' in html
    assert 'data-status="403"' in html and 'id="refusal"' in html
    assert f'href="{reverse("home")}" id="refusal-home"' in html
    with translation.override(KK):
        assert translation.gettext("Access denied") in html
        assert translation.gettext("Home page") in html
        if reason is None:
            reason = (
                "You do not have access to this page. If you think you should, log in with another account or "
                "ask the centre's staff."
            )
        translated = translation.gettext(reason)
        assert translated != reason, "the reason has no Kazakh translation"
        assert translated.replace("'", "&#x27;") in html


def _representative():
    user = UserFactory()
    Representative.objects.create(user=user, partner=Partner.objects.create(name="№ 1 мектеп", kind="school"))
    return user


@pytest.mark.urls("tests.ziat.error_urls")
@pytest.mark.parametrize("who", ["anonymous", "listener", "representative", "trainer", "registrar"])
def test_djangos_permission_denied_answers_with_the_refusal_page_for_every_kind_of_user(db, org, who):
    user = {
        "anonymous": lambda: None,
        "listener": lambda: enrolment().listener.user,
        "representative": _representative,
        "trainer": lambda: staff_user("trainer"),
        "registrar": lambda: staff_user("registrar"),
    }[who]()
    assert_refusal_page(kazakh_client(user).get("/test-errors/403/"))


def test_a_staff_pages_gate_answers_with_the_refusal_page(db, org):
    """A trainer holds no right to plan the schedule (``ziat.roles``)."""
    response = kazakh_client(staff_user("trainer")).get(reverse("enrolment:schedule"))
    assert_refusal_page(response, "Your role does not allow this page.")


def test_a_listener_refused_a_questionnaire_sees_the_same_page(db, org):
    """000 §4.5: only the cohort's listeners answer its questionnaire."""
    other = cohort()
    response = kazakh_client(enrolment().listener.user).get(
        reverse("monitoring:satisfaction_answer", kwargs={"cohort_pk": other.pk})
    )
    assert_refusal_page(response, "Only the cohort's listeners answer its questionnaire.")


def test_a_views_check_of_the_record_refuses_another_cohort_on_get_and_post_and_changes_nothing(db, org):
    """A trainer given the right to change cohorts passes the page's gate; the page checks the cohort it names
    as soon as it loads it (``ziat.access``), so the terms of a cohort they do not teach are neither shown nor
    changed; the cohort they teach they change."""
    mine, theirs = cohort(code="MINE-1"), cohort(code="THEIRS-1")
    trainer = teach(mine, staff_user("trainer"))
    trainer.user_permissions.add(Permission.objects.get(codename="change_cohort"))
    data = {
        "code": "CHANGED-1",
        "language": theirs.language,
        "funding": theirs.funding,
        "starts_on": theirs.starts_on.isoformat(),
        "ends_on": theirs.ends_on.isoformat(),
        "capacity": 5,
        "test_max_score": 25,
        "test_pass_score": 17,
    }
    page = kazakh_client(trainer).get(reverse("enrolment:cohort_edit", args=[theirs.pk]))
    assert_refusal_page(page)
    assert "THEIRS-1" not in page.content.decode()
    assert_refusal_page(kazakh_client(trainer).post(reverse("enrolment:cohort_edit", args=[theirs.pk]), data))
    assert Cohort.objects.get(pk=theirs.pk).code == "THEIRS-1"
    assert kazakh_client(trainer).get(reverse("enrolment:cohort_edit", args=[mine.pk])).status_code == 200
    response = kazakh_client(trainer).post(reverse("enrolment:cohort_edit", args=[mine.pk]), data)
    assert response.status_code == 302 and Cohort.objects.get(pk=mine.pk).code == "CHANGED-1"


def test_a_services_refusal_reaches_the_page_with_its_own_reason_and_changes_nothing(db, org):
    """A user who may read and add to a program's methodical complex passes the page's gate and its check of the
    program; removing a material is the service's to refuse (it needs the right to delete), and the page says
    the service's reason."""
    prog = program()
    user = staff_user("trainer")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_complexitem", "add_complexitem"]))
    item = prog.complex_items.first()
    response = kazakh_client(user).post(reverse("programs:complex", args=[prog.pk]), {"remove": item.pk})
    assert_refusal_page(response, "You may not change the methodical complex.")
    assert ComplexItem.objects.filter(pk=item.pk).exists()


def test_the_page_links_back_to_the_page_the_user_came_from_on_this_site_only(db, org):
    trainer = staff_user("trainer")
    url = reverse("enrolment:schedule")
    came_from = "http://testserver" + reverse("staff_home")
    html = kazakh_client(trainer, HTTP_REFERER=came_from).get(url).content.decode()
    assert f'href="{came_from}" id="refusal-back"' in html
    with translation.override(KK):
        assert translation.gettext("Back") in html
    html = kazakh_client(trainer, HTTP_REFERER="https://elsewhere.example.com/").get(url).content.decode()
    assert "refusal-back" not in html and "elsewhere.example.com" not in html
