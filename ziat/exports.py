"""Large exports made by a task: the page starts a job, the task writes the file, the user downloads it.

A builder is a function marked with ``export_builder`` that takes plain values (ids, a year) and returns
the file's bytes; the task finds it by its dotted path and refuses any function not so marked.

A builder marked ``export_builder(writes_file=True)`` writes the file itself instead: it gets ``out``, a
temporary file on disk, and ``progress``, called as ``progress(done, total, message)``, besides its plain values.
Written so (an .xlsx by ``ziat.excel.write_workbook_to``, its rows given as generators), an export of any
length takes about the same memory, and the page shows how far it has gone.

An export is started by a POST to its address (a button on the page it exports, its query string the page's
filters); a GET of the same address (a bookmarked or older link) starts nothing and answers with a page naming
the export, whose button sends the POST. Its view accepts both methods and checks access before either.

The file is served only to the user who started the job (``ziat.views.job_file``); the page that starts the
job checks that the user may read what is exported, and a builder that takes the user checks it again when it
runs. A builder that finds its object gone raises a ``DomainError``: the job ends as failed with that message,
and the task is not run again.
"""

import tempfile

from django.core.files import File
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .errors import DomainError
from .jobs import job_attach_file, job_create, job_done, job_run
from .tasking import enqueue_on_commit


def export_builder(func=None, *, writes_file=False):
    """Mark ``func`` as an export the task may run (``writes_file``: it writes into ``out`` with ``progress``)."""

    def mark(f):
        f.export_builder = True
        f.export_writes_file = writes_file
        return f

    return mark(func) if func is not None else mark


def export_start(request, *, builder, kwargs, filename, title):
    """On a POST, start the export for the requesting user and send them to the job's page.

    Any other request writes nothing: it answers with the page naming the export (``title``) and the button
    that sends the POST to the same address and query. The view has checked access before calling this."""
    if request.method != "POST":
        return render(request, "ziat/export_start.html", {"title": title})
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
        if getattr(func, "export_writes_file", False):
            with tempfile.TemporaryFile() as out:
                func(out=out, progress=progress, **kwargs)
                out.seek(0)
                job_attach_file(job_id, content=File(out), filename=filename)
        else:
            job_attach_file(job_id, content=func(**kwargs), filename=filename)
        job_done(job_id, message=_("The file is ready."))
        return "written"
