"""The staff's lists of consultations and publications as lists that grow: the same queries for few and many
rows, filters in the address, and a trainer who finds only the cohorts they teach in any filter (000 §4.3)."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from postcourse.enums import ConsultationKind, ConsultationStatus, PublicationStatus
from postcourse.models import Consultation, Publication
from tests.factories import page_queries, staff_user
from tests.postcourse.helpers import certified_cohort
from ziat import roles

pytestmark = pytest.mark.django_db

# Session, user, the user's and the groups' permissions, the user's roles, the trainer's cohorts (inside the
# count and the page), the count, the page with its cohorts, listeners and trainers or reviewers, the
# organisation and the layout's listener profile.
CONSULTATION_QUERIES = 8
PUBLICATION_QUERIES = 8


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _consultations(e, count, **kwargs):
    values = {"kind": ConsultationKind.QUESTION, "subject": "Формативное оценивание", **kwargs}
    Consultation.objects.bulk_create(Consultation(enrolment=e, **values) for _ in range(count))


def _publications(e, count, **kwargs):
    values = {"title": "Мақала", "venue": "Журнал", "file": "draft.pdf", "submitted_at": timezone.now(), **kwargs}
    Publication.objects.bulk_create(Publication(enrolment=e, **values) for _ in range(count))


@pytest.mark.parametrize("count", [10, 200])
def test_the_support_lists_make_the_same_queries_for_few_and_many_000_4_3(client, org, director, trainer, count):
    _c, (e,) = certified_cohort(director, trainer=trainer)
    _consultations(e, count)
    _publications(e, count)
    client.force_login(trainer)
    url = reverse("postcourse:consultations_staff")
    assert page_queries(client, url) == CONSULTATION_QUERIES
    assert page_queries(client, url + "?q=оценивание&kind=question") == CONSULTATION_QUERIES
    url = reverse("postcourse:publications_staff")
    assert page_queries(client, url) == PUBLICATION_QUERIES
    assert page_queries(client, url + f"?status={PublicationStatus.SUBMITTED}&q=Мақала") == PUBLICATION_QUERIES


def test_the_support_lists_find_by_subject_listener_status_and_cohort_and_never_widen_000_4_3(
    client, org, director, trainer
):
    ours, (e,) = certified_cohort(director, trainer=trainer)
    theirs, (f,) = certified_cohort(director, trainer=staff_user(roles.TRAINER))
    _consultations(e, 1, subject="Бағалау парағы")
    _consultations(e, 1, subject="Жабылған сұрақ", status=ConsultationStatus.CLOSED)
    _consultations(f, 1, subject="Басқа ағынның сұрағы")
    _publications(e, 1, title="Біздің мақала")
    _publications(f, 1, title="Басқа мақала")
    client.force_login(trainer)

    def shown(name, query=""):
        page = client.get(reverse(f"postcourse:{name}") + query).content.decode()
        return page.split('id="found"')[1] if 'id="found"' in page else page

    assert "Бағалау парағы" in shown("consultations_staff") and "Жабылған" not in shown("consultations_staff")
    assert "Жабылған сұрақ" in shown("consultations_staff", "?status=closed")
    assert "Бағалау парағы" not in shown("consultations_staff", "?q=жабылған&status=closed")
    assert "Бағалау парағы" in shown("consultations_staff", f"?cohort={ours.code}")
    assert "Біздің мақала" in shown("publications_staff", f"?cohort={ours.code}")
    for query in ("", "?q=Басқа", f"?cohort={theirs.code}", "?status=closed&q=Басқа"):
        assert "Басқа ағынның" not in shown("consultations_staff", query)
        assert "Басқа мақала" not in shown("publications_staff", query)
    bad = client.get(reverse("postcourse:publications_staff") + "?status=lost")
    assert bad.status_code == 400 and "A filter in the address is not valid" in bad.content.decode()
