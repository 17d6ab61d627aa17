"""Large exports made by a task: the page starts a job, the task writes the file, the user downloads it.

A builder is a function marked with ``export_builder`` that takes plain values (ids, a year) and returns
the file's bytes; the task finds it by its dotted path and refuses any function not so marked.
"""

from django.shortcuts import redirect
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .errors import DomainError
from .jobs import job_attach_file, job_create, job_done, job_run
from .tasking import enqueue_on_commit


def export_builder(func):
    func.export_builder = True
    return func


def export_start(request, *, builder, kwargs, filename, title):
    """Start the export for the requesting user and send them to the job's page."""
    job = job_create(kind="export", title=title, owner=request.user, total=1)
    from .tasks import build_export

    enqueue_on_commit(build_export, job.pk, builder, kwargs, filename)
    return redirect("job", pk=job.pk)


def export_build(job_id, builder, kwargs, filename):
    """Write the export's file into the job; a job already finished is left as it is."""
    with job_run(job_id) as progress:
        if progress is None:
            return "finished before"
        func = import_string(builder)
        if not getattr(func, "export_builder", False):
            raise DomainError(_("This export is not known."))
        progress(0, 1, _("Writing the workbook"))
        content = func(**kwargs)
        job_attach_file(job_id, content=content, filename=filename)
        job_done(job_id, message=_("The file is ready."))
        return "written"
