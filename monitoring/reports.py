"""Monitoring's reports in Excel (SPEC 7.2): the dashboard's selection (a background export, ``ziat.exports``),
an effectiveness review, and an organisation's report on its own teachers.

Every workbook is written by ``ziat.excel.write_workbook`` in write-only mode from generators: the memory taken
does not grow with the rows. The figures are those of the pages (``monitoring.selectors``), never computed again.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment.outcomes import outcomes_for
from certificates.models import Certificate
from enrolment.enums import EnrolmentStatus, RequestStatus
from enrolment.models import Enrolment, RequestedTeacher
from postcourse.enums import Applying
from postcourse.models import FollowUp
from ziat import access
from ziat.errors import DomainError
from ziat.excel import Sheet, Styled, bold, write_workbook
from ziat.exports import export_builder

from .enums import SatisfactionAspect
from .filters import CohortSelection
from .selectors import overview

DATE = "DD.MM.YYYY"


def _n(value):
    """A figure as a number for the sheet (None stays empty)."""
    return None if value is None else float(value)


def _figures_header():
    return [
        _("Cohorts"),
        _("Listeners"),
        _("Completed the course"),
        _("Passed"),
        _("Pass rate, %"),
        _("Average attendance, %"),
        _("Entrance diagnostics, %"),
        _("Milestone control, %"),
        _("Final test, %"),
        _("Gain, final − entrance"),
        *[_("Satisfaction: %(aspect)s, of 5") % {"aspect": a.label} for a in SatisfactionAspect],
        _("Follow-ups due"),
        _("Follow-ups answered, %"),
        _("Applying regularly or sometimes, %"),
        _("Support activities held"),
        _("Support activities planned"),
        _("Consultations"),
        _("Event participations"),
        _("Self-analyses submitted"),
        _("Self-analyses expected"),
    ]


def _figures_row(f):
    d = f.diagnostics
    return [
        f.cohorts,
        f.enrolled,
        f.completed,
        f.passed,
        _n(f.pass_rate),
        _n(f.attendance),
        _n(d.entrance_average),
        _n(d.milestone_average),
        _n(d.final_average),
        _n(d.gain_average),
        *[_n(s.average) for s in f.satisfaction_list],
        f.follow_ups_due,
        _n(f.follow_up_answered_share),
        _n(f.applying_share),
        f.activities_held,
        f.activities_planned,
        f.consultations,
        f.event_attended,
        f.self_analyses,
        f.self_analyses_expected,
    ]


def dashboard_workbook(found):
    """The .xlsx of an ``overview``: the programs, the cohorts and the periods, each with the six components."""

    def programs():
        yield [bold(_("Program")), *[bold(h) for h in _figures_header()]]
        for row in found.programs:
            yield [str(row.program), *_figures_row(row.figures)]
        yield [bold(_("Total")), *_figures_row(found.total)]

    def cohorts():
        yield [bold(h) for h in (_("Cohort"), _("Program"), _("Starts on"), _("Ends on"), *_figures_header())]
        for c, f in found.cohorts:
            yield [
                c.code,
                str(c.program),
                Styled(c.starts_on, number_format=DATE),
                Styled(c.ends_on, number_format=DATE),
                *_figures_row(f),
            ]

    def periods():
        yield [bold(_("Period of the course's end")), *[bold(h) for h in _figures_header()]]
        for label, f in found.periods:
            yield [label, *_figures_row(f)]

    return write_workbook(
        [
            Sheet(title=_("Programs"), rows=programs(), widths={"A": 50}, freeze="B2"),
            Sheet(title=_("Cohorts"), rows=cohorts(), widths={"A": 16, "B": 40, "C": 12, "D": 12}, freeze="B2"),
            Sheet(title=_("Periods"), rows=periods(), widths={"A": 16}, freeze="B2"),
        ]
    )


@export_builder
def dashboard_file(*, user_id, filters, language="kk"):
    """The dashboard's export for the user who asked (their reach) and their filters (plain values)."""
    user = get_user_model().objects.get(pk=user_id)
    with translation.override(language):
        selection = CohortSelection(filters or {}, user=user)
        if not selection.is_valid():
            raise DomainError(_("The dashboard's filters are not valid; nothing was exported."))
        return dashboard_workbook(overview(selection))


def review_workbook(review):
    """The .xlsx of an effectiveness review as it was assembled (its snapshot), with its conclusion."""
    c = review.components or {}
    labels = dict(SatisfactionAspect.choices)

    def summary():
        yield [bold(_("Effectiveness review")), str(review.program)]
        yield [_("Period"), f"{review.period_from:%d.%m.%Y} – {review.period_to:%d.%m.%Y}"]
        yield [_("Status"), review.get_status_display()]
        yield [bold(_("1. Needs analysis"))]
        for n in c.get("needs", []):
            yield [n["survey"], n["responses"]]
        entrance = c.get("entrance", {})
        yield [bold(_("2. Entrance diagnostics")), _n(entrance.get("average")), entrance.get("listeners")]
        control = c.get("control", {})
        yield [bold(_("3. Current and milestone control"))]
        for key, label in (
            ("milestone_average", _("Milestone control, %")),
            ("final_average", _("Final test, %")),
            ("gain", _("Gain, final − entrance")),
            ("enrolled", _("Listeners")),
            ("passed", _("Passed")),
            ("pass_rate", _("Pass rate, %")),
            ("attendance", _("Average attendance, %")),
        ):
            value = control.get(key)
            yield [label, _n(value) if isinstance(value, str) else value]
        yield [bold(_("4. Satisfaction with content, organisation and teaching"))]
        for s in c.get("satisfaction", []):
            yield [str(labels.get(s["aspect"], s["aspect"])), _n(s.get("average")), s.get("answers")]
        support = c.get("support", {})
        yield [bold(_("5. Post-course support"))]
        for key, label in (
            ("follow_ups_due", _("Follow-ups due")),
            ("answered_share", _("Follow-ups answered, %")),
            ("applying_share", _("Applying regularly or sometimes, %")),
            ("activities_held", _("Support activities held")),
            ("activities_planned", _("Support activities planned")),
            ("consultations", _("Consultations")),
            ("event_attended", _("Event participations")),
        ):
            value = support.get(key)
            yield [label, _n(value) if isinstance(value, str) else value]
        analysis = c.get("self_analysis", {})
        yield [
            bold(_("6. Self-analysis of trainers and organisers")),
            analysis.get("submitted"),
            analysis.get("expected"),
        ]
        yield [bold(_("Conclusion")), review.conclusion]
        yield [bold(_("Measures decided")), review.measures]

    def cohorts():
        yield [bold(h) for h in (_("Cohort"), _("Ends on"), _("Listeners"), _("Passed"), _("Pass rate, %"))]
        for x in c.get("cohorts", []):
            yield [x["code"], x["ends_on"], x["enrolled"], x["passed"], _n(x.get("pass_rate"))]

    return write_workbook(
        [
            Sheet(title=_("Review"), rows=summary(), widths={"A": 50, "B": 40}),
            Sheet(title=_("Cohorts"), rows=cohorts(), widths={"A": 16}, freeze="A2"),
        ]
    )


# ------------------------------------------------------------------------------------------------ an organisation


def partner_enrolments(partner_id):
    """The enrolments of the teachers an organisation sent through its accepted requests, each in the cohort
    the request was accepted for (the rule of ``certificates.bulk.certificates_of_partner``)."""
    teachers = RequestedTeacher.objects.filter(
        request__partner_id=partner_id,
        request__status=RequestStatus.ACCEPTED,
        request__cohort_id=OuterRef("cohort_id"),
        listener_id=OuterRef("listener_id"),
    )
    return Enrolment.objects.filter(Exists(teachers)).order_by(
        "-cohort__ends_on", "listener__user__last_name", "listener__user__first_name", "pk"
    )


def _result(outcome, today):
    e = outcome.enrolment
    if e.status == EnrolmentStatus.EXPELLED:
        return _("expelled")
    if e.status != EnrolmentStatus.ENROLLED:
        return e.get_status_display()
    if e.cohort.ends_on >= today:
        return _("on the course")
    return _("passed") if outcome.eligible else _("not passed")


@export_builder
def partner_file(*, user_id, language="kk"):
    """The organisation's report for the representative who asked, if they still represent it."""
    partner_id = access.partner_of(get_user_model().objects.get(pk=user_id))
    if partner_id is None:
        raise DomainError(_("This report is for the representative of an organisation."))
    with translation.override(language):
        return partner_workbook(partner_id)


def partner_workbook(partner_id, *, today=None):
    """Per teacher of the organisation: course, attendance, result, certificate and follow-up status."""
    today = today or timezone.localdate()
    certificates = Prefetch(
        "certificates",
        queryset=Certificate.objects.filter(revoked_at__isnull=True, replaced_at__isnull=True).order_by("pk"),
        to_attr="current_certificates",
    )
    enrolments = partner_enrolments(partner_id).prefetch_related(certificates)
    outcomes = outcomes_for(enrolments)
    follow_ups = {
        row["enrolment_id"]: row
        for row in FollowUp.objects.filter(enrolment__in=enrolments.values("pk"))
        .order_by()
        .values("enrolment_id")
        .annotate(
            due=Count("pk", filter=Q(due_on__lte=today)),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            last_answered=Max("answered_at"),
        )
    }
    applying = dict(
        FollowUp.objects.filter(enrolment__in=enrolments.values("pk"), answered_at__isnull=False)
        .order_by("enrolment_id", "-answered_at")
        .distinct("enrolment_id")
        .values_list("enrolment_id", "applying")
    )
    applying_labels = dict(Applying.choices)

    def rows():
        yield [
            bold(h)
            for h in (
                _("Teacher"),
                _("IIN"),
                _("Program"),
                _("Cohort"),
                _("Starts on"),
                _("Ends on"),
                _("Attendance, %"),
                _("Result"),
                _("Certificate"),
                _("Follow-ups answered / due"),
                _("Applying what was learned (last answer)"),
            )
        ]
        for outcome in outcomes:
            e = outcome.enrolment
            certificate = next(iter(getattr(e, "current_certificates", [])), None)
            f = follow_ups.get(e.pk, {})
            yield [
                e.listener.full_name,
                e.listener.iin,
                str(e.cohort.program),
                e.cohort.code,
                Styled(e.cohort.starts_on, number_format=DATE),
                Styled(e.cohort.ends_on, number_format=DATE),
                float(outcome.attendance.percent_display),
                str(_result(outcome, today)),
                certificate.registration_number if certificate else "",
                f"{f.get('answered', 0)} / {f.get('due', 0)}",
                str(applying_labels.get(applying.get(e.pk), "")),
            ]

    widths = {"A": 32, "B": 14, "C": 40, "D": 14, "E": 12, "F": 12, "G": 12, "H": 16, "I": 20, "J": 14, "K": 30}
    return write_workbook([Sheet(title=_("Teachers"), rows=rows(), widths=widths, freeze="B2")])
