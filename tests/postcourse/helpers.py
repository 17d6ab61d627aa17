"""Helpers for the support tests: a certified cohort in its support year, with the program's expected results."""

import datetime

from django.utils import timezone

from certificates.services import certificate_issue
from programs.models import VersionText
from tests.certificates.helpers import course, enrol
from tests.factories import teach


def friday_before(days):
    """The Friday on or before ``days`` days ago (a course runs Monday to Friday)."""
    day = timezone.localdate() - datetime.timedelta(days=days)
    return day - datetime.timedelta(days=(day.weekday() - 4) % 7)


RECENT_END = 60  # days ago: the support year is open today
EXPIRED_END = 400  # days ago: the support year is over
RESULTS_RU = ["Применяет формативное оценивание на уроках", "Проектирует урок с учётом потребностей учеников"]
RESULTS_KK = ["Сабақта қалыптастырушы бағалауды қолданады"]


def certified_cohort(director, *, listeners=1, trainer=None, ended=RECENT_END, **cohort_kwargs):
    """A cohort that ended ``ended`` days ago (about) whose ``listeners`` have certificates, and so a support
    year, taught by ``trainer``."""
    ends_on = friday_before(ended)
    cohort_kwargs.setdefault("ends_on", ends_on)
    cohort_kwargs.setdefault("starts_on", ends_on - datetime.timedelta(days=4))
    c = course(**cohort_kwargs)
    VersionText.objects.create(version=c.version, language="ru", expected_results=RESULTS_RU)
    VersionText.objects.create(version=c.version, language="kk", expected_results=RESULTS_KK)
    if trainer is not None:
        teach(c, trainer)
    enrolments = []
    for _ in range(listeners):
        e = enrol(c)
        certificate_issue(e, by=director, on=ends_on + datetime.timedelta(days=3))
        enrolments.append(e)
    # The support period opens on commit of the issue; tests run inside one transaction.
    from postcourse.services import support_period_open

    for e in enrolments:
        support_period_open(e)
    return c, enrolments
