"""The trainers' registry with the 40% rule (001 §3, §21, 003 §5) and the trainer's own day."""

import os

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.listing import listing
from ziat.refusals import staff_required

from .. import selectors
from ..filters import TrainerFilter
from ..forms.trainers import TrainerForm
from ..models import Enrolment, Session, Trainer
from ..services import trainers as registry

# ------------------------------------------------------------------------------------------ the registry


@require_GET
@staff_required("enrolment.view_trainer")
def trainer_list(request):
    found = listing(request, TrainerFilter, access.scope(request.user, selectors.trainers_for_list()))
    trainers = list(found.rows)
    for trainer in trainers:
        trainer.reasons = registry.qualifying_reasons(trainer) if trainer.counts else []
    context = {
        "list": found,
        "trainers": trainers,
        "compliance": registry.trainer_compliance(),
        "industry_min_years": registry.INDUSTRY_MIN_YEARS,
    }
    return render(request, "enrolment/trainers/list.html", context, status=found.status)


@staff_required("enrolment.add_trainer")
def trainer_create(request):
    form = TrainerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            registry.trainer_create(by=request.user, **form.account(), **form.record())
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The trainer is in the registry and has a staff account."))
            return redirect("enrolment:trainer_list")
    return render(request, "enrolment/trainers/form.html", {"form": form, "trainer": None})


@staff_required("enrolment.change_trainer")
def trainer_edit(request, pk):
    trainer = get_object_or_404(Trainer.objects.select_related("user"), pk=pk)
    access.check(request.user, "enrolment.change_trainer", trainer)
    form = TrainerForm(
        request.POST or None, request.FILES or None, initial=TrainerForm.initial_for(trainer), with_account=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            registry.trainer_update(trainer, by=request.user, **form.account(), **form.record())
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The trainer's record is saved."))
            return redirect("enrolment:trainer_list")
    return render(request, "enrolment/trainers/form.html", {"form": form, "trainer": trainer})


@require_GET
@staff_required("enrolment.view_trainer")
def trainer_document(request, pk, name):
    if name not in registry.DOCUMENT_FIELDS:
        raise Http404
    trainer = get_object_or_404(Trainer, pk=pk)
    access.check(request.user, "enrolment.view_trainer", trainer)
    document = getattr(trainer, name)
    if not document:
        raise Http404
    return FileResponse(document.open("rb"), as_attachment=True, filename=os.path.basename(document.name))


# ------------------------------------------------------------------------------------- the trainer's day


@require_GET
def trainer_home(request):
    """The trainer's sessions today and this week, the listeners at risk in their cohorts, works to score."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (user.is_staff and Trainer.objects.filter(user=user).exists()):
        raise PermissionDenied
    now = timezone.now()
    today = timezone.localdate(now)
    monday, sunday = selectors.week_of(today)
    week = list(selectors.trainer_sessions(user, start=monday, end=sunday))
    cohorts = list(selectors.trainer_cohorts(user, today=today))
    context = {
        "today": today,
        "monday": monday,
        "sunday": sunday,
        "today_sessions": [s for s in week if s.date == today],
        "week_sessions": week,
        "cohorts": cohorts,
        "at_risk": selectors.listeners_at_risk(cohorts, now=now),
        "works_to_score": works_to_score(user),
    }
    return render(request, "enrolment/trainers/home.html", context)


def works_to_score(user):
    """Project works handed in and not yet scored in the cohorts where ``user`` teaches a session (one query).

    Read through the enrolment's ``project_work`` relation: the assessment stage comes after enrolment.
    """
    return list(
        Enrolment.objects.filter(
            cohort__in=Session.objects.filter(trainer=user).values("cohort"),
            project_work__isnull=False,
            project_work__points__isnull=True,
        )
        .select_related("project_work", "listener__user", "cohort")
        .order_by("project_work__submitted_at", "pk")
    )


urlpatterns = [
    path("staff/enrolment/trainers/", trainer_list, name="trainer_list"),
    path("staff/enrolment/trainers/new/", trainer_create, name="trainer_create"),
    path("staff/enrolment/trainers/<int:pk>/", trainer_edit, name="trainer_edit"),
    path("staff/enrolment/trainers/<int:pk>/<str:name>/", trainer_document, name="trainer_document"),
    path("staff/enrolment/my-day/", trainer_home, name="trainer_home"),
]
