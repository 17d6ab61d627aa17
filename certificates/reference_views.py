"""The staff's register of references of attendance (000 §3.9, 001 §31): number, holder, cohort and date,
found by number, holder and cohort and filtered by the period of issue."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ziat.listing import listing
from ziat.refusals import staff_required

from .filters import ReferenceFilter
from .selectors import references_in_period

PER_PAGE = 100


@require_GET
@staff_required("certificates.view_certificate")
def reference_register(request):
    found = listing(request, ReferenceFilter, references_in_period(user=request.user), per_page=PER_PAGE)
    return render(request, "certificates/reference/register.html", {"list": found}, status=found.status)
