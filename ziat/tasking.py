"""The task runner's plumbing: enqueueing on commit, the workers' lease, and re-queueing the tasks of a
worker that died.

django-tasks-db marks a task RUNNING when a worker claims it and leaves it so if the worker is killed: no
other worker would ever take it again. Each of our workers therefore holds a PostgreSQL advisory lock named
after its worker id, on a connection of its own, for as long as it lives. PostgreSQL releases the lock the
moment the worker's connection goes away, whatever killed the process. A RUNNING task whose last worker's
lock can be taken belongs to a dead worker: it is put back in the queue (by every worker when it starts and
between tasks, and by the scheduler), up to ``TASK_MAX_ATTEMPTS`` runs in all; then it is marked failed with
a clear message, so that a task that kills its worker cannot loop for ever.

A task does its writes in one transaction (the services are atomic), so a worker killed half-way leaves
nothing half-done: the run is rolled back and the next run starts from a clean state.
"""

import logging
from traceback import format_exception

from django.conf import settings
from django.db import connection, connections, transaction
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, TaskResultStatus

logger = logging.getLogger(__name__)

# The first key of the two-key advisory locks that name workers (any constant of our own).
LOCK_CLASS = 71_046


class WorkerLost(Exception):
    """The worker running a task died too many times; recorded as the task's error."""


def enqueue_on_commit(task, *args, **kwargs):
    """Enqueue ``task`` once the current transaction commits, so a worker never sees rows that may roll back.

    The immediate backend runs the task in the caller's own connection, where the caller's rows are already
    visible; it is used by the tests, and runs the task at once so that a page can answer with its result.
    """
    if isinstance(task.get_backend(), ImmediateBackend):
        return task.enqueue(*args, **kwargs)
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=False)
    return None


# ------------------------------------------------------------------------------------------ the lease


class WorkerLease:
    """An advisory lock named after ``worker_id``, held on a connection of its own while the worker lives."""

    def __init__(self, worker_id, alias="default"):
        self.worker_id = worker_id
        self.alias = alias
        self._conn = None

    def acquire(self):
        wrapper = connections[self.alias]
        self._conn = wrapper.get_new_connection(wrapper.get_connection_params())
        self._conn.autocommit = True
        with self._conn.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", [LOCK_CLASS, self.worker_id])

    def alive(self):
        """True while the lease's connection is open (a restarted database drops it)."""
        if self._conn is None:
            return False
        try:
            with self._conn.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:  # any failure means the lock is gone
            return False
        return True

    def release(self):
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


def _worker_alive(worker_id):
    """Whether a worker still holds its lease (tried on this process's connection, then let go at once)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [LOCK_CLASS, worker_id])
        (taken,) = cursor.fetchone()
        if taken:
            cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [LOCK_CLASS, worker_id])
    return not taken


def requeue_stale_tasks():
    """Put back in the queue the running tasks whose worker died; returns how many were put back or failed."""
    count = 0
    with transaction.atomic():
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        for result in running:
            worker_ids = result.worker_ids or []
            if worker_ids and _worker_alive(worker_ids[-1]):
                continue
            count += 1
            if len(worker_ids) >= settings.TASK_MAX_ATTEMPTS:
                error = WorkerLost(
                    f"The worker running this task stopped {len(worker_ids)} times; the task is not run again."
                )
                result.status = TaskResultStatus.FAILED
                result.finished_at = timezone.now()
                result.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
                result.traceback = "".join(format_exception(error))
                result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                logger.warning("Task %s failed: its worker died %s times", result.id, len(worker_ids))
            else:
                result.status = TaskResultStatus.READY
                result.save(update_fields=["status"])
                logger.warning("Task %s put back in the queue: worker %s died", result.id, worker_ids[-1:])
    return count
