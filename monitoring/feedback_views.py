"""Pages of the satisfaction questionnaire (000 §4.5 4)), the self-analysis (000 §4.5 6)) and the NOBD
deadlines (001 §19)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrolment.models import Cohort
from ziat import access
from ziat.errors import DomainError
from ziat.refusals import staff_required

from .satisfaction import (
    enrolment_for_satisfaction,
    satisfaction_answer,
    satisfaction_is_open,
    satisfaction_results,
)

SCORE_CHOICES = [(str(s), str(s)) for s in (1, 2, 3, 4, 5)]


def _listener_refused(request, message):
    return render(request, "monitoring/feedback/refused.html", {"message": message}, status=403)


# ------------------------------------------------------------------------------------------ satisfaction


class SatisfactionForm(forms.Form):
    content = forms.TypedChoiceField(
        label=gettext_lazy("Content of the course"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Organisation of the course"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    teaching = forms.TypedChoiceField(
        label=gettext_lazy("Quality of teaching"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@login_required
def satisfaction_form(request, cohort_pk):
    """The listener's questionnaire for a cohort of theirs: answered once, anonymously."""
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=cohort_pk)
    enrolment = enrolment_for_satisfaction(request.user, cohort)
    if enrolment is None:
        return _listener_refused(request, _("Only the cohort's listeners answer its questionnaire."))
    answered = hasattr(enrolment, "satisfaction_receipt")
    today = timezone.localdate()
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            satisfaction_answer(enrolment, by=request.user, today=today, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Thank you: your answer is counted anonymously."))
            return redirect("monitoring:satisfaction_answer", cohort_pk=cohort.pk)
    context = {
        "cohort": cohort,
        "enrolment": enrolment,
        "form": form,
        "answered": answered,
        "open": satisfaction_is_open(cohort, today),
    }
    return render(
        request,
        "monitoring/feedback/satisfaction_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@staff_required("monitoring.view_satisfactiontally")
def satisfaction_page(request, cohort_pk):
    """The cohort's results for staff (a trainer: the cohorts they teach), from the threshold on."""
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=cohort_pk)
    access.check(request.user, "monitoring.view_satisfactiontally", cohort)
    return render(
        request,
        "monitoring/feedback/satisfaction_results.html",
        {"cohort": cohort, "results": satisfaction_results(cohort)},
    )


urlpatterns = [
    path("satisfaction/<int:cohort_pk>/", satisfaction_page, name="satisfaction"),
    path("satisfaction/<int:cohort_pk>/answer/", satisfaction_form, name="satisfaction_answer"),
]
