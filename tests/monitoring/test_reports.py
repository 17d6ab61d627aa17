"""Monitoring's reports in Excel (SPEC 7.2, 000 §4.5): the dashboard, a review, an organisation's teachers."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certificates.services import certificate_issue
from monitoring.reviews import review_assemble
from tests.factories import export_download, staff_user, teach
from ziat.models import Job

from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(org):
    return staff_user("monitoring")


def _sheets(response):
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_the_dashboard_export_follows_its_filters_and_the_pages_figures_000_4_5(client, officer):
    c, _es = b.finished_cohort(results=(20, 10), ends_on=datetime.date(2026, 5, 29))
    old, _ = b.finished_cohort(results=(20,), ends_on=datetime.date(2025, 5, 30))
    client.force_login(officer)
    url = reverse("monitoring:dashboard_export") + "?ends_from=2026-01-01"
    sheets = _sheets(export_download(client, url))
    programs, cohorts = sheets["Programs"], sheets["Cohorts"]
    header = programs[0]
    row = programs[1]
    assert row[0] == str(c.program) and row[header.index("Pass rate, %")] == 50.0
    assert programs[-1][0] == "Total"
    assert [r[0] for r in cohorts[1:]] == [c.code] and old.code not in str(sheets)


def test_a_trainers_export_holds_only_the_cohorts_they_teach_000_4_5(client, trainer):
    mine, _ = b.finished_cohort(code="MINE-X")
    b.finished_cohort(code="OTHER-X")
    teach(mine, trainer)
    client.force_login(trainer)
    sheets = _sheets(export_download(client, reverse("monitoring:dashboard_export")))
    assert [r[0] for r in sheets["Cohorts"][1:]] == ["MINE-X"]


def test_a_review_exports_its_snapshot_and_conclusion_001_38(client, officer):
    c, _es = b.finished_cohort(results=(20, 10), ends_on=datetime.date(2026, 3, 6))
    review = review_assemble(
        c.program, by=officer, period_from=datetime.date(2026, 1, 1), period_to=datetime.date(2026, 6, 30)
    )
    client.force_login(officer)
    sheets = _sheets(client.get(reverse("monitoring:review_export", args=[review.pk])))
    rows = {r[0]: r[1:] for r in sheets["Review"] if r and r[0]}
    assert rows["Passed"][0] == 1 and rows["Pass rate, %"][0] == 50.0
    assert [r[0] for r in sheets["Cohorts"][1:]] == [c.code]


def test_a_representative_downloads_the_report_of_their_own_teachers_only_000_4_5(client, director):
    c, (e1, e2, e3) = b.finished_cohort(results=(20, 10, 20))
    certificate = certificate_issue(e1, by=director, on=datetime.date(2026, 3, 10))
    b.follow_up(e1, applying="sometimes")
    b.follow_up(e2, answered=False)
    _partner, rep = b.partner_with_teachers(c, [e1, e2])
    _other, other_rep = b.partner_with_teachers(c, [e3], name="Басқа мектеп")
    e3.listener.user.last_name = "Бөтенова"
    e3.listener.user.save(update_fields=["last_name"])
    client.force_login(rep)
    sheets = _sheets(export_download(client, reverse("monitoring:partner_report")))
    rows = sheets["Teachers"]
    header, body = rows[0], rows[1:]
    assert sorted(r[header.index("IIN")] for r in body) == sorted([e1.listener.iin, e2.listener.iin])
    assert "Бөтенова" not in str(rows)
    first = next(r for r in body if r[header.index("IIN")] == e1.listener.iin)
    assert first[header.index("Result")] == "passed" and first[header.index("Attendance, %")] == 100.0
    assert first[header.index("Certificate")] == certificate.registration_number
    assert first[header.index("Follow-ups answered / due")] == "1 / 1"
    second = next(r for r in body if r[header.index("IIN")] == e2.listener.iin)
    assert second[header.index("Result")] == "not passed" and second[header.index("Certificate")] is None
    client.force_login(other_rep)
    other = _sheets(export_download(client, reverse("monitoring:partner_report")))["Teachers"]
    assert [r[header.index("IIN")] for r in other[1:]] == [e3.listener.iin]


def test_a_request_not_accepted_gives_no_teachers_and_staff_are_refused_the_organisations_report_000_4_5(
    client, director, officer
):
    c, (e1,) = b.finished_cohort(results=(20,))
    _partner, rep = b.partner_with_teachers(c, [e1], status="submitted")
    client.force_login(rep)
    assert _sheets(export_download(client, reverse("monitoring:partner_report")))["Teachers"][1:] == []
    client.force_login(officer)
    jobs = Job.objects.count()
    for refused in (
        client.get(reverse("monitoring:partner_report")),
        client.post(reverse("monitoring:partner_report")),
    ):
        assert refused.status_code == 403 and "representative of an organisation" in refused.content.decode()
    assert Job.objects.count() == jobs
    client.logout()
    assert client.get(reverse("monitoring:partner_report")).status_code == 302


def test_the_organisations_page_starts_the_report_on_its_teachers_000_4_5(client, org):
    c, (e1,) = b.finished_cohort(results=(20,))
    _partner, rep = b.partner_with_teachers(c, [e1])
    client.force_login(rep)
    html = client.get(reverse("enrolment:partner_home")).content.decode()
    assert f'<form method="post" action="{reverse("monitoring:partner_report")}" id="teachers-report">' in html
    # A bookmarked address starts nothing: it shows the button.
    assert 'id="export-start"' in client.get(reverse("monitoring:partner_report")).content.decode()
    assert not Job.objects.exists()


def test_a_representative_who_left_the_organisation_gets_no_report_from_a_job_queued_before_000_4_5(
    org,
):
    """The job checks again, when it runs, that the user still represents an organisation."""
    from monitoring.reports import partner_file
    from ziat.errors import DomainError

    c, (e1,) = b.finished_cohort(results=(20,))
    _partner, rep = b.partner_with_teachers(c, [e1])
    assert partner_file(user_id=rep.pk)
    rep.representative.delete()
    with pytest.raises(DomainError):
        partner_file(user_id=rep.pk)
