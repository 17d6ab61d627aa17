"""The listener's cabinet: its home, with a panel of each stage for every course, and the messages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ..cabinet import cabinet_courses, next_steps
from ..models import Message
from ..selectors import cabinet_enrolments
from ..services.messages import messages_mark_read


@login_required
@require_GET
def cabinet(request):
    """The listener's home: applications, contracts, messages, and every course with its panels."""
    listener = getattr(request.user, "listener", None)
    if listener is None:
        return render(request, "enrolment/cabinet/home.html", {"courses": [], "not_listener": True})
    today = timezone.localdate()
    courses = cabinet_courses(cabinet_enrolments(listener), today=today)
    context = {
        "courses": courses,
        "next_steps": next_steps(courses),
        "applications": listener.applications.exclude(status="withdrawn").count(),
        "unread": listener.messages.filter(read_at__isnull=True).count(),
        "today": today,
    }
    return render(request, "enrolment/cabinet/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def messages(request):
    """The listener's messages. Reading the page changes nothing; the page then marks the messages it showed as
    new as read (a POST its script sends at once, or the button without a script)."""
    listener = getattr(request.user, "listener", None)
    if listener is None:
        raise Http404
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("message") if i.isdigit()]
        messages_mark_read(listener, by=request.user, ids=ids)
        return redirect("enrolment:my_messages")
    items = list(Message.objects.filter(listener=listener))
    unread = [item.pk for item in items if item.read_at is None]
    return render(request, "enrolment/cabinet/messages.html", {"items": items, "unread": unread})


urlpatterns = [
    path("cabinet/", cabinet, name="cabinet"),
    path("cabinet/messages/", messages, name="my_messages"),
]
