"""The listener's messages from the centre, in the cabinet."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..models import Message


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
    path("cabinet/messages/", messages, name="my_messages"),
]
