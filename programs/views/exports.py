"""Downloads of the program document (000 §2.8-2.9): .docx in the regulation's format, and PDF.

Staff download any version; the public downloads only the approved version of a program still taught.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from ziat import access
from ziat.documents import pdf_response
from ziat.refusals import staff_required

from ..exports import DOCX_CONTENT_TYPE, LANGUAGES, version_docx, version_pdf
from ..models import Program, ProgramVersion
from ..services.workflow import program_is_teachable


def _check_language(lang):
    if lang not in LANGUAGES:
        raise Http404


def _filename(version, lang, extension):
    return f"program-{version.program_id}-v{version.number}-{lang}.{extension}"


def _docx_response(version, lang):
    response = HttpResponse(version_docx(version, lang), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, lang, "docx")}"'
    return response


def _pdf_response(version, lang):
    return pdf_response(version_pdf(version, lang), _filename(version, lang, "pdf"))


def _staff_version(request, pk, number, lang, perm):
    _check_language(lang)
    version = get_object_or_404(ProgramVersion.objects.select_related("program"), program_id=pk, number=number)
    access.check(request.user, perm, version)
    return version


def _public_version(pk, lang):
    _check_language(lang)
    program = get_object_or_404(Program.objects.select_related("approved_version"), pk=pk)
    if not program_is_teachable(program):
        raise Http404
    return program.approved_version


@staff_required("programs.view_program")
def version_docx_view(request, pk, number, lang):
    return _docx_response(_staff_version(request, pk, number, lang, "programs.view_program"), lang)


@staff_required("programs.view_program")
def version_pdf_view(request, pk, number, lang):
    return _pdf_response(_staff_version(request, pk, number, lang, "programs.view_program"), lang)


def public_docx(request, pk, lang):
    return _docx_response(_public_version(pk, lang), lang)


def public_pdf(request, pk, lang):
    return _pdf_response(_public_version(pk, lang), lang)


urlpatterns = [
    path(
        "staff/programs/<int:pk>/versions/<int:number>/program-<str:lang>.docx",
        version_docx_view,
        name="version_docx",
    ),
    path(
        "staff/programs/<int:pk>/versions/<int:number>/program-<str:lang>.pdf",
        version_pdf_view,
        name="version_pdf",
    ),
    path("programs/<int:pk>/program-<str:lang>.docx", public_docx, name="public_docx"),
    path("programs/<int:pk>/program-<str:lang>.pdf", public_pdf, name="public_pdf"),
]
