"""The issuing scenario of the benchmark: a cohort's certificates issued by background workers, 1 against 2.

``measure()`` makes, for every round, a fresh cohort of LISTENERS listeners who attended and passed, starts the
director's issuing job (``certificates.bulk.cohort_issue_start``, as the cohort's page does) with 1 or 2 real
``db_worker`` processes already waiting, and times the job from its start until it is done (every listener
settled: the certificate issued with its number, snapshot, appendix, log entry and the HTML of its documents).
The PDF files are made by separate tasks afterwards and are not timed (they are dropped from the queue after
each round). Rounds alternate 1 and 2 workers. bench/run.py prints the ratio; see bench/README.md.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

LISTENERS = 100
ROOT = Path(__file__).resolve().parent.parent
IIN_BASE = 700_000_000_000


def _cohort(tag):
    """A program of two modules (8 academic hours), a cohort with one session everybody attended and a score."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from assessment.models import FinalResult
    from bench.cohorts import attended_cohort
    from enrolment.models import Listener
    from ziat import roles

    User = get_user_model()
    today = timezone.localdate()
    with transaction.atomic():
        director, created = User.objects.get_or_create(
            username="bench-issuing-director",
            defaults={"last_name": "Мұратова", "first_name": "Сәуле", "is_staff": True},
        )
        if created:
            director.groups.add(Group.objects.get(name=roles.DIRECTOR))
        _prog, cohort, enrolments = attended_cohort(
            code=f"BENCH-ISSUE-{tag}",
            titles=(f"Бенчмарк: беру {tag}", f"Бенчмарк: выдача {tag}"),
            modules=(1, 2),
            starts_on=today - datetime.timedelta(days=10),
            ends_on=today - datetime.timedelta(days=5),
            listeners=LISTENERS,
            people=(f"bench-issue-{tag}", "Тыңдаушы", tag),
            iin_base=IIN_BASE + Listener.objects.filter(iin__startswith="7").count(),
            marked_by=director,
            test_max_score=25,
            test_pass_score=17,
        )
        FinalResult.objects.bulk_create(
            FinalResult(enrolment=e, score=Decimal(20), recorded_by=director) for e in enrolments
        )
    return cohort, director


def _start_workers(count, tag, log):
    command = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload", "--no-startup-delay"]
    command += ["--interval", "0.05", "-v", "0"]
    workers = []
    for k in range(count):
        argv = [*command, "--worker-id", f"bench-{tag}-{k}"]
        workers.append(subprocess.Popen(argv, cwd=ROOT, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT))  # noqa: S603
    return workers


def _leases():
    """How many workers hold their lease (they are past start-up and look for tasks)."""
    from django.db import connection

    from ziat.tasking import LOCK_CLASS

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND granted", [LOCK_CLASS]
        )
        return cursor.fetchone()[0]


def _stop(workers):
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _round(workers_count, tag, log, say):
    from django.db import connections
    from django_tasks_db.models import DBTaskResult, TaskResultStatus

    from certificates.bulk import cohort_issue_start
    from certificates.models import Certificate
    from ziat.models import Job

    cohort, director = _cohort(tag)
    workers = _start_workers(workers_count, tag, log)
    try:
        deadline = time.monotonic() + 120
        while _leases() < workers_count:
            if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
                raise SystemExit("bench: the workers did not start")
            time.sleep(0.1)
        time.sleep(0.5)  # each worker has looked for tasks once
        began = time.monotonic()
        job, _started = cohort_issue_start(cohort, by=director)
        while True:
            status = Job.objects.filter(pk=job.pk).values_list("status", flat=True).get()
            if status in (Job.Status.DONE, Job.Status.FAILED):
                break
            if time.monotonic() - began > 900:
                raise SystemExit("bench: the issuing job did not finish in 15 minutes")
            time.sleep(0.02)
        elapsed = time.monotonic() - began
    finally:
        _stop(workers)
    issued = Certificate.objects.filter(enrolment__cohort=cohort).count()
    if status != Job.Status.DONE or issued != LISTENERS:
        raise SystemExit(f"bench: the job ended {status} with {issued} of {LISTENERS} certificates")
    # The PDFs' tasks are not part of the measure; they would only slow the next round's workers.
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).delete()
    connections.close_all()
    say(f"  {workers_count} worker(s): {LISTENERS} certificates in {elapsed:.2f} s ({LISTENERS / elapsed:.1f}/s)")
    return elapsed


def measure(rounds=2, say=print, log_path=None):
    """Seconds to issue a cohort with 1 and with 2 workers: {1: total, 2: total, "rounds": [(one, two), ...]}."""
    totals = {1: 0.0, 2: 0.0, "rounds": []}
    tag = time.strftime("%H%M%S")
    with open(log_path or os.devnull, "w") as log:
        for r in range(1, rounds + 1):
            pair = tuple(_round(count, f"{tag}-{r}-{count}", log, say) for count in (1, 2))
            totals[1] += pair[0]
            totals[2] += pair[1]
            totals["rounds"].append(pair)
    return totals
