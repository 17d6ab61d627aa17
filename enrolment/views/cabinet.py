"""The listener's cabinet: its home, with a panel of each stage for every course, and the messages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..cabinet import cabinet_courses, next_steps
from ..models import Message
from ..selectors import cabinet_enrolments


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
@require_GET
def messages(request):
    listener = getattr(request.user, "listener", None)
    if listener is None:
        raise Http404
    items = list(Message.objects.filter(listener=listener))
    Message.objects.filter(listener=listener, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "enrolment/cabinet/messages.html", {"items": items})


urlpatterns = [
    path("cabinet/", cabinet, name="cabinet"),
    path("cabinet/messages/", messages, name="my_messages"),
]
