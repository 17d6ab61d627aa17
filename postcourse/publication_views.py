"""Pages of help with publications (000 §4.3 2)): the listener's drafts in the cabinet; the staff's review."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.listing import listing
from ziat.refusals import staff_required

from . import publications as services
from . import selectors
from .consultation_views import own_enrolment
from .enums import PublicationStatus
from .filters import PublicationFilter
from .forms import MessageForm, PublicationForm, PublishedForm, RevisionForm
from .models import Publication
from .support import in_support_year, period_of

PAGE_SIZE = 50


def _file_response(publication):
    if not publication.file:
        raise Http404
    try:
        handle = publication.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(publication.file.name))


def _form_error(form):
    return next(iter(form.errors.values()))[0] if form.errors else _("Check the form.")


def _own_publication(request, pk):
    listener = getattr(request.user, "listener", None)
    if listener is None:
        raise Http404
    return get_object_or_404(selectors.with_comments(Publication.objects.filter(pk=pk, enrolment__listener=listener)))


# ------------------------------------------------------------------------------------------ the listener


@login_required
@require_http_methods(["GET", "POST"])
def my_publications(request, enrolment_pk):
    enrolment = own_enrolment(request, enrolment_pk)
    period = period_of(enrolment)
    error = None
    form = PublicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise DomainError(_form_error(form))
            publication = services.publication_submit(
                enrolment,
                by=request.user,
                title=form.cleaned_data["title"],
                venue=form.cleaned_data["venue"],
                upload=form.cleaned_data["file"],
            )
        except PermissionDeniedError:
            raise
        except DomainError as e:
            error = e.message
        else:
            messages.success(request, _("Your draft is handed in for review."))
            return redirect("postcourse:my_publication", pk=publication.pk)
    context = {
        "enrolment": enrolment,
        "period": period,
        "open": in_support_year(period, timezone.localdate()),
        "items": list(Publication.objects.filter(enrolment=enrolment)),
        "form": form,
        "error": error,
    }
    return render(request, "postcourse/publications/mine.html", context, status=400 if error else 200)


def _do(action, request, publication):
    """Run a form's action on a publication; the error message or None."""
    post, files = request.POST, request.FILES
    forms = {
        "comment": lambda: (
            MessageForm(post),
            lambda d: services.publication_comment(publication, by=request.user, **d),
        ),
        "revise": lambda: (
            RevisionForm(post, files),
            lambda d: services.publication_revise(publication, by=request.user, upload=d["file"], text=d["text"]),
        ),
        "publish": lambda: (
            PublishedForm(post),
            lambda d: services.publication_publish(publication, by=request.user, **d),
        ),
        "take": lambda: (None, lambda d: services.publication_take(publication, by=request.user)),
        "changes": lambda: (
            MessageForm(post),
            lambda d: services.publication_request_changes(publication, by=request.user, **d),
        ),
        "accept": lambda: (
            None,
            lambda d: services.publication_accept(publication, by=request.user, text=post.get("text", "")),
        ),
    }
    if action not in forms:
        return _("Unknown action.")
    form, run = forms[action]()
    try:
        if form is not None and not form.is_valid():
            raise DomainError(_form_error(form))
        run(form.cleaned_data if form is not None else {})
    except DomainError as e:
        return e.message
    return None


LISTENER_ACTIONS = ("comment", "revise", "publish")
STAFF_ACTIONS = ("take", "comment", "changes", "accept", "publish")


@login_required
@require_http_methods(["GET", "POST"])
def my_publication(request, pk):
    publication = _own_publication(request, pk)
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        error = _do(action, request, publication) if action in LISTENER_ACTIONS else _("Unknown action.")
        if error is None:
            messages.success(request, _("Saved."))
            return redirect("postcourse:my_publication", pk=publication.pk)
    context = {
        "publication": publication,
        "error": error,
        "comment_form": MessageForm(),
        "revision_form": RevisionForm(auto_id="id_revision_%s"),
        "published_form": PublishedForm(initial={"journal": publication.venue, "year": timezone.localdate().year}),
        "S": PublicationStatus,
    }
    return render(request, "postcourse/publications/my_detail.html", context, status=400 if error else 200)


@login_required
@require_GET
def my_publication_file(request, pk):
    return _file_response(_own_publication(request, pk))


# ------------------------------------------------------------------------------------------ staff


@require_GET
@staff_required("postcourse.view_publication")
def publications_staff(request):
    found = listing(request, PublicationFilter, selectors.publications_for_staff(request.user), per_page=PAGE_SIZE)
    return render(request, "postcourse/publications/staff_list.html", {"list": found}, status=found.status)


def _staff_publication(request, pk):
    publication = get_object_or_404(selectors.with_comments(Publication.objects.all()), pk=pk)
    access.check(request.user, "postcourse.view_publication", publication)
    return publication


@require_http_methods(["GET", "POST"])
@staff_required("postcourse.view_publication")
def publication_staff(request, pk):
    publication = _staff_publication(request, pk)
    may_review = access.may(request.user, "postcourse.change_publication", publication)
    error = None
    if request.method == "POST":
        access.check(request.user, "postcourse.change_publication", publication)
        action = request.POST.get("action", "")
        error = _do(action, request, publication) if action in STAFF_ACTIONS else _("Unknown action.")
        if error is None:
            messages.success(request, _("Saved."))
            return redirect("postcourse:publication_staff", pk=publication.pk)
    context = {
        "publication": publication,
        "may_review": may_review,
        "error": error,
        "comment_form": MessageForm(),
        "changes_form": MessageForm(auto_id="id_changes_%s"),
        "published_form": PublishedForm(initial={"journal": publication.venue, "year": timezone.localdate().year}),
        "S": PublicationStatus,
    }
    return render(request, "postcourse/publications/staff_detail.html", context, status=400 if error else 200)


@require_GET
@staff_required("postcourse.view_publication")
def publication_file_staff(request, pk):
    return _file_response(_staff_publication(request, pk))


urlpatterns = [
    path("support/<int:enrolment_pk>/publications/", my_publications, name="my_publications"),
    path("support/publication/<int:pk>/", my_publication, name="my_publication"),
    path("support/publication/<int:pk>/file/", my_publication_file, name="my_publication_file"),
    path("staff/support/publications/", publications_staff, name="publications_staff"),
    path("staff/support/publication/<int:pk>/", publication_staff, name="publication_staff"),
    path("staff/support/publication/<int:pk>/file/", publication_file_staff, name="publication_file_staff"),
]
