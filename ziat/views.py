from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from .models import Organisation


def home(request):
    user = request.user
    if user.is_authenticated:
        if user.is_staff:
            # A trainer starts the day with their sessions; other staff in the back-office.
            return redirect("enrolment:trainer_home" if hasattr(user, "trainer") else "admin:index")
        return redirect("certificates:cabinet")
    return render(request, "home.html")


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
