"""The monitoring scenario of the benchmark: the director's dashboard over 500 cohorts, against a bare view.

``measure()`` makes once, in the bench database, COHORTS finished cohorts of LISTENERS listeners (50 programs of
10 cohorts; every listener attended, has a final score, half of them a follow-up answered; each cohort has
satisfaction counts and a support activity), then renders in process (Django's test client, the production
settings of bench.settings) the director's dashboard ``monitoring:dashboard`` and ``/bench/bare/`` alternately:
one warm-up of each, then ``rounds`` rounds; medians of the wall-clock time. Each round also times a first view:
the dashboard once the kept outcome figures (``monitoring.models.CohortFigures``) are emptied, as after a change
in every cohort before the periodic task has kept them again (the page computes them without saving).
bench/run.py prints the ratio and the SQL queries of one dashboard; see bench/README.md.
"""

import datetime
import statistics
import time
from decimal import Decimal

COHORTS = 500
PROGRAMS = 50
LISTENERS = 10
PREFIX = "BENCH-MON-"
IIN_BASE = 600_000_000_000
HOST = "127.0.0.1"


def _director():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from ziat import roles

    user, created = get_user_model().objects.get_or_create(
        username="bench-monitoring-director",
        defaults={"last_name": "Мұратова", "first_name": "Сәуле", "is_staff": True},
    )
    if created:
        user.groups.add(Group.objects.get(name=roles.DIRECTOR))
    return user


def populate(say):
    """The 500 cohorts, made once (kept while the bench database holds them)."""
    from django.db import transaction
    from django.utils import timezone

    from assessment.models import FinalResult
    from bench.cohorts import attended_cohort
    from enrolment.models import Cohort
    from monitoring.models import SatisfactionTally
    from postcourse.models import FollowUp, SupportActivity

    if Cohort.objects.filter(code__startswith=PREFIX).count() == COHORTS:
        return
    say(f"creating {COHORTS} cohorts of {LISTENERS} listeners for the monitoring dashboard")
    director = _director()
    today = timezone.localdate()
    t0 = time.monotonic()
    with transaction.atomic():
        programs = {}
        for n in range(COHORTS):
            ends_on = today - datetime.timedelta(days=7 * (n % 150) + 10)
            p = n % PROGRAMS
            people = (f"bench-mon-{n:03d}", "Тыңдаушы", f"М{n:03d}")
            if p in programs:
                cohort, enrolments = _more(programs[p], n, ends_on, people, director)
            else:
                prog, cohort, enrolments = attended_cohort(
                    code=f"{PREFIX}{n:03d}",
                    titles=(f"Бенчмарк: мониторинг {p:02d}", f"Бенчмарк: мониторинг {p:02d}"),
                    modules=(1, 2),
                    starts_on=ends_on - datetime.timedelta(days=4),
                    ends_on=ends_on,
                    listeners=LISTENERS,
                    people=people,
                    iin_base=IIN_BASE + n * LISTENERS,
                    marked_by=director,
                    test_max_score=25,
                    test_pass_score=17,
                )
                programs[p] = prog
            FinalResult.objects.bulk_create(
                FinalResult(enrolment=e, score=Decimal(20 if i % 4 else 12), recorded_by=director)
                for i, e in enumerate(enrolments)
            )
            SatisfactionTally.objects.bulk_create(
                SatisfactionTally(cohort=cohort, aspect=aspect, score=score, count=3)
                for aspect in ("content", "organisation", "teaching")
                for score in (4, 5)
            )
            FollowUp.objects.bulk_create(
                FollowUp(
                    enrolment=e,
                    months=3,
                    due_on=ends_on,
                    answered_at=timezone.now() if i % 2 else None,
                    applying="regularly" if i % 2 else "",
                )
                for i, e in enumerate(enrolments)
            )
            SupportActivity.objects.create(
                cohort=cohort,
                form="consulting",
                title="Семинар",
                planned_on=ends_on,
                responsible=director,
                created_by=director,
            )
    say(f"  done in {time.monotonic() - t0:.1f} s")


def _more(prog, n, ends_on, people, director):
    """Another cohort of ``prog`` as ``bench.cohorts.attended_cohort`` makes its first one."""
    from django.contrib.auth import get_user_model

    from enrolment.enums import AttendanceStatus
    from enrolment.models import Attendance, Cohort, Enrolment, Listener, Session

    starts_on = ends_on - datetime.timedelta(days=4)
    cohort = Cohort.objects.create(
        program=prog,
        version=prog.approved_version,
        code=f"{PREFIX}{n:03d}",
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=LISTENERS,
        test_max_score=25,
        test_pass_score=17,
    )
    session = Session.objects.create(
        cohort=cohort, date=starts_on, starts_at=datetime.time(9), ends_at=datetime.time(13), hours=Decimal(8)
    )
    User = get_user_model()
    prefix, last_name, first_name = people
    users = []
    for k in range(LISTENERS):
        user = User(username=f"{prefix}-{k:03d}", last_name=last_name, first_name=f"{first_name} {k:03d}")
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    found = Listener.objects.bulk_create(
        Listener(user=u, iin=str(IIN_BASE + n * LISTENERS + k)) for k, u in enumerate(users)
    )
    enrolments = Enrolment.objects.bulk_create(Enrolment(cohort=cohort, listener=li) for li in found)
    Attendance.objects.bulk_create(
        Attendance(session=session, enrolment=e, status=AttendanceStatus.PRESENT, marked_by=director)
        for e in enrolments
    )
    return cohort, enrolments


def measure(*, rounds, say):
    """{"dashboard": median s, "first": median s, "bare": median s, "queries": n, "first_queries": n,
    "rounds": [(dashboard, bare)]}."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.urls import reverse

    from monitoring.figures import cohort_figures_refresh
    from monitoring.models import CohortFigures

    populate(say)
    # The kept figures are made by a periodic task (monitoring.tasks.cohort_figures), not by the page.
    cohort_figures_refresh()
    client = Client(HTTP_HOST=HOST)
    client.force_login(_director())
    dashboard, bare = reverse("monitoring:dashboard"), "/bench/bare/"

    def timed(path):
        t0 = time.perf_counter()
        response = client.get(path)
        took = time.perf_counter() - t0
        if response.status_code != 200:
            raise SystemExit(f"bench: {path} answered {response.status_code}")
        return took

    timed(dashboard), timed(bare)
    # Counted by a wrapper on the connection: the debug log keeps only the latest 9,000 queries of the process.
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    for signal in (request_started, request_finished):  # they would close the connection that counts
        signal.disconnect(close_old_connections)
    try:
        with connection.execute_wrapper(count):
            timed(dashboard)
        warm = len(queries)
        CohortFigures.objects.all().delete()
        with connection.execute_wrapper(count):
            timed(dashboard)
        first_queries = len(queries) - warm
        cohort_figures_refresh()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    pairs, firsts = [], []
    for r in range(rounds):
        page = timed(dashboard)
        base = statistics.median(timed(bare) for _ in range(20))
        CohortFigures.objects.all().delete()
        first = timed(dashboard)
        cohort_figures_refresh()
        pairs.append((page, base))
        firsts.append(first)
        say(
            f"  round {r + 1}: dashboard {page * 1000:.0f} ms, first view {first * 1000:.0f} ms, "
            f"bare view {base * 1000:.2f} ms"
        )
    return {
        "dashboard": statistics.median(p for p, _b in pairs),
        "first": statistics.median(firsts),
        "bare": statistics.median(b for _p, b in pairs),
        "queries": warm,
        "first_queries": first_queries,
        "rounds": pairs,
    }
