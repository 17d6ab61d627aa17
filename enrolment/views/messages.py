"""A cohort's messages: the sendings to its listeners (who wrote, to how many, how many have read) and the
form to write to all its current listeners or to chosen ones."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.listing import listing
from ziat.refusals import staff_required

from .. import selectors
from ..filters import MailingFilter
from ..forms.messages import MessageForm
from ..models import Cohort
from ..services.messages import MessageError, active_listeners, message_send

PER_PAGE = 20


@staff_required("enrolment.view_message")
@require_http_methods(["GET", "POST"])
def cohort_messages(request, cohort_pk):
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=cohort_pk)
    access.check(request.user, "enrolment.view_message", cohort)
    may_write = access.may(request.user, "enrolment.add_message", cohort)
    form = None
    if may_write:
        form = MessageForm(request.POST if request.method == "POST" else None, listeners=active_listeners(cohort))
    elif request.method == "POST":
        access.check(request.user, "enrolment.add_message", cohort)
    if request.method == "POST" and form.is_valid():
        try:
            mailing = message_send(
                cohort,
                by=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                listeners=form.recipients(),
            )
        except PermissionDeniedError:
            raise
        except MessageError as e:
            form.add_error(e.field, e.message)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            count = mailing.messages.count()
            text = ngettext(
                "The message is sent to %(count)s listener.", "The message is sent to %(count)s listeners.", count
            )
            messages.success(request, text % {"count": count})
            return redirect("enrolment:cohort_messages", cohort_pk=cohort.pk)
    listed = listing(request, MailingFilter, selectors.cohort_mailings(cohort), per_page=PER_PAGE)
    context = {"cohort": cohort, "list": listed, "rows": listed.rows, "form": form}
    status = 400 if form is not None and form.is_bound else listed.status
    return render(request, "enrolment/messages/cohort.html", context, status=status)


urlpatterns = [
    path("staff/enrolment/cohorts/<int:cohort_pk>/messages/", cohort_messages, name="cohort_messages"),
]
