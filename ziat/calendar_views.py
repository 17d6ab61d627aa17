"""The working-day calendar for staff: the year's days off with their reasons, and the government's later
decisions recorded and withdrawn (through ``ziat.calendar_decisions``)."""

import calendar as month_grid
import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access
from .calendar import FIRST_YEAR, LAST_YEAR, year_days
from .calendar_decisions import calendar_day_record, calendar_day_withdraw
from .errors import DomainError, PermissionDeniedError
from .forms import DecisionForm
from .models import CalendarDay
from .refusals import refused, staff_required


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if FIRST_YEAR <= year <= LAST_YEAR else timezone.localdate().year


def _months(days):
    """The year as twelve month grids (weeks from Monday), each cell a ``Day`` or None."""
    by_date = {d.date: d for d in days}
    year = days[0].date.year
    grid = month_grid.Calendar(firstweekday=0)
    return [
        {
            "first": datetime.date(year, month, 1),
            "weeks": [
                [by_date.get(day) if day.month == month else None for day in week]
                for week in grid.monthdatescalendar(year, month)
            ],
        }
        for month in range(1, 13)
    ]


@staff_required("ziat.view_calendarday")
def calendar_year(request):
    year = _year(request)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("ziat.add_calendarday"):
            return refused(request, _("Your role does not allow this page."))
        if form.is_valid():
            try:
                day = calendar_day_record(by=request.user, **form.cleaned_data)
            except PermissionDeniedError:
                raise
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("The decision is recorded; working-day deadlines now count with it."))
                messages.info(request, _("Deadlines moved by this decision: %(count)s.") % {"count": day.moved})
                return redirect(f"{reverse('calendar')}?year={day.date.year}")
    days = year_days(year)
    context = {
        "year": year,
        "previous": year - 1 if year > FIRST_YEAR else None,
        "next": year + 1 if year < LAST_YEAR else None,
        "months": _months(days),
        "days_off": [d for d in days if not d.working and (d.reason or not d.weekend)],
        "worked_weekends": [d for d in days if d.working and d.weekend],
        "decisions": [d.decision for d in days if d.decision is not None],
        "form": form,
        "weekdays": [_("Mo"), _("Tu"), _("We"), _("Th"), _("Fr"), _("Sa"), _("Su")],
    }
    return render(request, "ziat/calendar/year.html", context)


@require_POST
@staff_required("ziat.delete_calendarday")
def calendar_withdraw(request, pk):
    day = get_object_or_404(CalendarDay, pk=pk)
    access.check(request.user, "ziat.delete_calendarday", day)
    try:
        moved = calendar_day_withdraw(day, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The decision is withdrawn; the day follows the calendar's rules again."))
        messages.info(request, _("Deadlines moved by the withdrawal: %(count)s.") % {"count": moved})
    return redirect(f"{reverse('calendar')}?year={day.date.year}")
