"""What the project keeps only for a while, deleted daily by ``ziat.tasks.prune`` (settings.PERIODIC_TASKS).

The retention of each kind is a setting in days (README, "Production"):

- ``RETENTION_JOBS_DAYS``: background jobs finished that long ago, with their files (the exports and the
  uploaded workbooks they read); a job never finished and started that long ago is dead and goes too;
- ``RETENTION_TASK_RESULTS_DAYS``: the results of finished tasks kept by the tasks' database backend, and the
  scheduler's record of the slots it enqueued (never a slot of the last two days: it keeps a slot from being
  enqueued twice);
- ``RETENTION_DRAFTS_DAYS``: drafts that were never sent and can no longer be (each app registers its own with
  ``register``; enrolment: applications and requests for places of a course that started that long ago).

Nothing else is deleted. The issued documents (certificates and their appendices and duplicates, references,
internship certificates, orders, contracts) and the stored files they keep, the registers, the activity log and
every record the regulation keeps are never pruned: a job's file is a copy made for one download, a draft is
what its author never sent.

Each kind is deleted in batches, each batch in a transaction of its own; the files of a batch are removed from
the storage once its rows are gone for good (after the commit), so a failure leaves no row without its file.
"""

import datetime
import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import Job, ScheduledRun

logger = logging.getLogger(__name__)

# Rows deleted in one transaction.
BATCH = 500
# The scheduler's slots of the last days are kept whatever the retention: a daily slot is current for a day.
SLOTS_KEPT = datetime.timedelta(days=2)

_pruners = {}


def register(name, prune):
    """Add (or replace, by name) an app's pruner: ``prune(now=...)`` deletes what it keeps only for a while and
    returns how many records it deleted."""
    _pruners[name] = prune


def days_ago(days, now):
    return now - datetime.timedelta(days=days)


def delete_files_on_commit(names):
    """Remove the files ``names`` from the storage once the transaction commits (a missing one is no error)."""
    names = [name for name in names if name]

    def remove():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.exception("Could not delete the file %s", name)

    if names:
        transaction.on_commit(remove)


def in_batches(queryset, delete_batch):
    """Call ``delete_batch(rows)`` on ``queryset`` a batch at a time, each in a transaction; returns the count."""
    count = 0
    while True:
        with transaction.atomic():
            rows = list(queryset.order_by("pk").select_for_update(skip_locked=True, of=("self",))[:BATCH])
            if not rows:
                return count
            delete_batch(rows)
            count += len(rows)


def jobs_prune(*, now):
    """Finished jobs older than the retention, with their files; and jobs never finished, started as long ago."""
    cutoff = days_ago(settings.RETENTION_JOBS_DAYS, now)
    old = Job.objects.filter(
        Q(status__in=[Job.Status.DONE, Job.Status.FAILED], finished_at__lt=cutoff)
        | Q(status__in=[Job.Status.PENDING, Job.Status.RUNNING], created_at__lt=cutoff)
    )

    def delete(jobs):
        delete_files_on_commit([name for job in jobs for name in (job.file.name, job.input_file.name)])
        Job.objects.filter(pk__in=[job.pk for job in jobs]).delete()

    return in_batches(old, delete)


def task_results_prune(*, now):
    """The results of tasks finished before the retention, and the scheduler's slots as old."""
    cutoff = days_ago(settings.RETENTION_TASK_RESULTS_DAYS, now)
    results = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)
    count = in_batches(results, lambda rows: DBTaskResult.objects.filter(pk__in=[r.pk for r in rows]).delete())
    slots = ScheduledRun.objects.filter(slot__lt=min(cutoff, now - SLOTS_KEPT))
    count += in_batches(slots, lambda rows: ScheduledRun.objects.filter(pk__in=[r.pk for r in rows]).delete())
    return count


def prune(*, now=None):
    """Delete everything kept only for a while; returns {kind: records deleted}."""
    now = now or timezone.now()
    counts = {"jobs": jobs_prune(now=now), "task_results": task_results_prune(now=now)}
    for name, pruner in sorted(_pruners.items()):
        counts[name] = pruner(now=now)
    logger.info("Pruned %s", counts)
    return counts
