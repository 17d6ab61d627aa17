"""The periodic tasks the project runs on its own schedule (settings.PERIODIC_TASKS).

Each job has slots: daily at a local time, or every few minutes. A tick enqueues the current slot of each
job unless it was enqueued already: a ``ScheduledRun`` row per job and slot, unique in the database, is
written in the same transaction as the task (the database backend keeps its tasks in the same database),
so a slot is enqueued exactly once however many schedulers run, and a scheduler that dies between the two
leaves neither. A slot missed while no scheduler ran is enqueued late by the next tick (only the latest
one: a daily job does not run three times after a three-day stop).
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun
from .tasking import requeue_stale_tasks

logger = logging.getLogger(__name__)


def current_slot(spec, now):
    """The latest slot of ``spec`` at or before ``now`` (aware), as an aware datetime."""
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if "every_minutes" in spec:
        step = int(spec["every_minutes"])
        minutes = (local.hour * 60 + local.minute) // step * step
        return midnight + datetime.timedelta(minutes=minutes)
    hour, minute = (int(part) for part in spec["daily_at"].split(":"))
    slot = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if slot > local:
        slot -= datetime.timedelta(days=1)
    return slot


def scheduler_tick(*, now=None, backend=None):
    """Enqueue the slots that are due and not yet enqueued; returns [(job, slot)] enqueued by this call.

    Also puts back in the queue the tasks of workers that died (see ziat.tasking).
    """
    now = now or timezone.now()
    requeue_stale_tasks()
    enqueued = []
    for name, spec in settings.PERIODIC_TASKS.items():
        slot = current_slot(spec, now)
        task = import_string(spec["task"])
        if backend:
            task = task.using(backend=backend)
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=name, slot=slot)
                # Enqueued inside the slot's transaction, not on commit: both are kept, or neither.
                result = task.enqueue(**spec.get("kwargs", {}))
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another scheduler has enqueued this slot
        logger.info("Enqueued %s for %s", name, slot)
        enqueued.append((name, slot))
    return enqueued
