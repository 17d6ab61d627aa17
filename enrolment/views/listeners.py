"""The staff's list of listeners: found by name or IIN, region, workplace and cohort, with their courses.
Open to the roles whose duties read listeners' records (``enrolment.view_listener``), within their reach."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from ziat import access
from ziat.listing import listing
from ziat.refusals import staff_required

from ..filters import ListenerFilter
from ..models import Enrolment, Listener


@require_GET
@staff_required("enrolment.view_listener")
def listener_list(request):
    courses = Prefetch(
        "enrolments",
        queryset=access.scope(request.user, Enrolment.objects.select_related("cohort")).order_by("-cohort__starts_on"),
    )
    listeners = (
        access.scope(request.user, Listener.objects.all())
        .select_related("user")
        .prefetch_related(courses)
        .order_by("user__last_name", "user__first_name", "pk")
    )
    found = listing(request, ListenerFilter, listeners)
    return render(request, "enrolment/listeners/list.html", {"list": found}, status=found.status)


urlpatterns = [
    path("staff/enrolment/listeners/", listener_list, name="listener_list"),
]
