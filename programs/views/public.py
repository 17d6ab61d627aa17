"""Public pages: the catalogue of approved programs (000 §2.13) and the drafts under discussion (000 §2.9).

Nothing private is shown here: commenters' e-mail addresses never leave the staff's screens.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ziat import listing as lists
from ziat.client import client_ip
from ziat.errors import DomainError
from ziat.ratelimit import rate_limited

from .. import listing
from ..enums import CommentStatus
from ..filters import CatalogueFilter
from ..forms.workflow import CommentForm
from ..models import Discussion
from ..rules import duration_class
from ..selectors import plan_totals, version_with_plan
from ..services import workflow
from ..services.discussion import comment_add, comment_form_token


def _document(version):
    """What the document pages show of a version: texts by language, the plan and its totals."""
    version = version_with_plan(version.pk)
    totals = plan_totals(version)
    program = version.program
    return {
        "version": version,
        "texts": list(version.texts.order_by("language")),
        "totals": totals,
        "duration_class": duration_class(
            totals.total, form_of_study=program.form_of_study, is_internship=program.is_internship
        ),
    }


@require_GET
def catalogue(request):
    """Approved programs found by title, form of study and language, a page at a time."""
    found = lists.listing(request, CatalogueFilter, listing.catalogue_programs())
    return render(request, "programs/public/catalogue.html", {"list": found}, status=found.status)


@require_GET
def card(request, pk):
    program = get_object_or_404(listing.catalogue_programs(), pk=pk)
    context = {"program": program, **_document(program.approved_version)}
    context["revision_due_on"] = workflow.revision_due_on(program)
    return render(request, "programs/public/card.html", context)


@require_GET
def discussions(request):
    today = timezone.localdate()
    return render(request, "programs/public/discussions.html", {"discussions": list(listing.open_discussions(today))})


@rate_limited("discussion", methods={"POST"})
@require_http_methods(["GET", "POST"])
def discussion(request, pk):
    item = get_object_or_404(Discussion.objects.select_related("version__program"), pk=pk)
    if item.published_on > timezone.localdate():
        raise Http404
    is_open = workflow.discussion_is_open(item)
    form = CommentForm(initial={"token": comment_form_token()})
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                comment_add(
                    item,
                    name=data["name"],
                    organisation=data["organisation"],
                    email=data["email"],
                    text=data["text"],
                    ip=client_ip(request),
                    form_token=data["token"],
                    honeypot=data["website"],
                )
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("Thank you: your comment is received and will be considered."))
                return redirect("programs:discussion", pk=item.pk)
        status = 400
        # A fresh stamp, so that a corrected comment can be sent again.
        form.data = form.data.copy()
        form.data["token"] = comment_form_token()
    comments = list(item.comments.only("name", "organisation", "text", "created_at", "status", "reason", "reply"))
    context = {
        "discussion": item,
        "program": item.version.program,
        "is_open": is_open,
        "form": form,
        "comments": comments,
        "considered": CommentStatus.NEW,
        **_document(item.version),
    }
    return render(request, "programs/public/discussion.html", context, status=status)


urlpatterns = [
    path("programs/", catalogue, name="catalogue"),
    path("programs/<int:pk>/", card, name="card"),
    path("discussion/", discussions, name="discussions"),
    path("discussion/<int:pk>/", discussion, name="discussion"),
]
