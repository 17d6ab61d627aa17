"""Long work for a user, done by a task: a ``Job`` row with its progress, message and result file.

A view creates the job and enqueues the task on commit; the task calls ``job_run``, which marks the job
running, hands the work a ``Progress`` to report to, and records the outcome. The work itself runs in
one transaction, so its progress is written through a connection of its own (committed at once and seen by
the page while the work goes on); the outcome is written after the work's transaction.
"""

import logging
from contextlib import contextmanager

from django.core.files.base import ContentFile, File
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import Job

logger = logging.getLogger(__name__)


def job_create(*, kind, title, owner, next_url="", total=0):
    """A job for ``owner``, whose messages are written in the language active now."""
    return Job.objects.create(
        kind=kind,
        title=str(title)[:300],
        owner=owner,
        next_url=next_url,
        total=total,
        language=translation.get_language() or "",
    )


def job_keep_input(job, upload):
    """Keep an uploaded file with the job, for its task to read."""
    upload.seek(0)
    name = (getattr(upload, "name", "") or "upload").rsplit("/", 1)[-1]
    job.input_file.save(name, ContentFile(upload.read()), save=False)
    job.save(update_fields=["input_file"])
    return job


def job_for(user, pk):
    """The job ``pk`` if ``user`` started it (a superuser sees every job), else None."""
    jobs = Job.objects.all()
    if not user.is_superuser:
        jobs = jobs.filter(owner_id=user.pk)
    return jobs.filter(pk=pk).first()


class Progress:
    """Reports ``done`` of ``total`` with a message, visible to other connections at once."""

    # Write at most this often (in items) on a long loop, and always at its end.
    EVERY = 10

    def __init__(self, job_id):
        self.job_id = job_id
        self._conn = None
        self._last = None

    def _write(self, done, total, message):
        if self._conn is None:
            wrapper = connections["default"]
            self._conn = wrapper.get_new_connection(wrapper.get_connection_params())
            self._conn.autocommit = True
        done = min(done, total) if total else done
        with self._conn.cursor() as cursor:
            # The job row is committed before the task runs; under the immediate backend of the tests it is
            # not, and this updates nothing (the outcome is written on the task's own connection anyway).
            cursor.execute(
                "UPDATE ziat_job SET done = %s, total = %s, message = %s WHERE id = %s AND status = %s",
                [done, max(total, done), str(message), self.job_id, Job.Status.RUNNING],
            )

    def __call__(self, done, total, message=""):
        step = max(1, min(self.EVERY, total // 20))
        if self._last is not None and done < total and done - self._last < step:
            return
        self._last = done
        try:
            self._write(done, total, message)
        except Exception:  # progress is a courtesy: the work goes on without it
            logger.exception("Could not write the progress of job %s", self.job_id)

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _finish(job_id, **fields):
    Job.objects.filter(pk=job_id).update(finished_at=timezone.now(), **fields)


@contextmanager
def job_run(job_id):
    """Run the work of job ``job_id``: yields a ``Progress``, or None when there is nothing to do.

    A job already finished (a task run again after its worker died, or enqueued twice) is left as it is.
    A ``DomainError`` ends the job as failed with its message; any other error too, with a general message,
    and is raised again so that the task's own result records it.
    """
    updated = Job.objects.filter(pk=job_id, status__in=[Job.Status.PENDING, Job.Status.RUNNING]).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not updated:
        yield None
        return
    progress = Progress(job_id)
    language = Job.objects.filter(pk=job_id).values_list("language", flat=True).first()
    with translation.override(language or None):
        try:
            yield progress
        except DomainError as e:
            _finish(job_id, status=Job.Status.FAILED, message=str(e.message))
        except Exception:
            _finish(job_id, status=Job.Status.FAILED, message=_("The work stopped on an unexpected error."))
            raise
        else:
            job = Job.objects.get(pk=job_id)
            if job.status == Job.Status.RUNNING:
                _finish(job_id, status=Job.Status.DONE, done=job.total)
        finally:
            progress.close()


def job_done(job_id, *, message="", total=None):
    """Record the outcome's message (inside ``job_run``; the job is marked done when the work returns)."""
    fields = {"message": str(message)}
    if total is not None:
        fields["total"] = total
    Job.objects.filter(pk=job_id).update(**fields)


@transaction.atomic
def job_attach_file(job_id, *, content, filename, message=""):
    """Keep the export's file with the job; written once, the same bytes are served after.

    ``content`` is the file's bytes, or a ``File`` (an open file on disk, copied into the storage in chunks).
    """
    job = Job.objects.select_for_update().get(pk=job_id)
    if job.file:
        return job
    job.file.save(filename, content if isinstance(content, File) else ContentFile(content), save=False)
    job.filename = filename
    job.message = str(message)
    job.save(update_fields=["file", "filename", "message"])
    return job
