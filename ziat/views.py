from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import FileResponse, Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from . import access, workspace
from .jobs import job_for
from .models import Job, Organisation
from .refusals import refused


def home(request):
    """Where each kind of user lands after logging in: staff on the work waiting for them, an organisation's
    representative on its requests, a listener (and anyone else) in the cabinet."""
    user = request.user
    if user.is_authenticated:
        if user.is_staff:
            return redirect("staff_home")
        if access.partner_of(user) is not None and getattr(user, "listener", None) is None:
            return redirect("enrolment:partner_home")
        return redirect("enrolment:cabinet")
    return render(request, "home.html")


@require_GET
def staff_home(request):
    """The staff member's home: for each role they hold, the work waiting, with counts, deadlines and links."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user.is_staff:
        return refused(request)
    today = timezone.localdate()
    return render(request, "staff/home.html", {"home": workspace.home_for(user, today=today), "today": today})


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


def server_error(request):
    """500 in the base layout, rendered without the database (no context processors, no session)."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"organisation": Organisation.unsaved_default()}))


@csrf_exempt
@never_cache
@require_GET
def health(request):
    """For the load balancer and the process supervisor: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure of the database is a failed check
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
