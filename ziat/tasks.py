"""Tasks of the core: rendering stored documents."""

from django.tasks import task

from .stored_documents import document_render


@task
def render_document(document_id):
    return document_render(document_id)
