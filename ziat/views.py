from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from .jobs import job_for
from .models import Job


def home(request):
    user = request.user
    if user.is_authenticated:
        if user.is_staff:
            # A trainer starts the day with their sessions; other staff in the back-office.
            return redirect("enrolment:trainer_home" if hasattr(user, "trainer") else "admin:index")
        return redirect("enrolment:cabinet")
    return render(request, "home.html")


@login_required
@require_GET
def job(request, pk):
    """The progress of a user's background job; when it is done, its file or the page it leads back to."""
    item = job_for(request.user, pk)
    if item is None:
        raise Http404
    # Work done with nothing to download leads back to its page; a failure stays here with its message.
    if (
        item.status == Job.Status.DONE
        and item.next_url
        and not item.file
        and url_has_allowed_host_and_scheme(item.next_url, allowed_hosts={request.get_host()})
    ):
        if item.message:
            messages.success(request, item.message)
        return redirect(item.next_url)
    response = render(request, "ziat/job.html", {"job": item})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def job_file(request, pk):
    item = job_for(request.user, pk)
    if item is None or item.status != Job.Status.DONE or not item.file:
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename)
