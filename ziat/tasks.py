"""Tasks of the core: rendering stored documents and writing exports."""

from django.tasks import task

from . import pruning
from .exports import export_build
from .stored_documents import document_render


@task
def render_document(document_id):
    return document_render(document_id)


@task
def build_export(job_id, builder, kwargs, filename):
    return export_build(job_id, builder, kwargs, filename)


@task
def prune():
    """Daily: delete the finished jobs and their files, old task results and abandoned drafts (ziat.pruning)."""
    return pruning.prune()
