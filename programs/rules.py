"""Rules of a program's document: duration classes (001 §23, 000 §3.5) and what a releasable draft needs."""

from decimal import Decimal

from django.utils.translation import gettext as _

from ziat.errors import DomainError

from .enums import DurationClass, FormOfStudy
from .selectors import plan_totals

# 000 §2.9: the draft is open for public discussion for ten working days from its publication.
DISCUSSION_WORKING_DAYS = 10

SHORT_MIN = Decimal(36)
SHORT_MAX = Decimal(108)
ABROAD_SHORT_MAX = Decimal(80)


def duration_class(total, *, form_of_study, is_internship=False):
    """The duration class of a plan of ``total`` academic hours, or None when it fits none."""
    total = Decimal(total)
    if total < SHORT_MIN:
        return None
    if form_of_study == FormOfStudy.ABROAD:
        return DurationClass.ABROAD_SHORT if total <= ABROAD_SHORT_MAX else DurationClass.ABROAD_LONG
    if is_internship:
        return DurationClass.INTERNSHIP
    return DurationClass.SHORT if total <= SHORT_MAX else DurationClass.LONG


def check_duration(total, *, form_of_study, is_internship=False):
    """Raise a translated DomainError when the plan's hours fit no duration class for the form of study."""
    if is_internship and form_of_study == FormOfStudy.ABROAD:
        raise DomainError(_("A TVET internship is held in Kazakhstan, not abroad."))
    found = duration_class(total, form_of_study=form_of_study, is_internship=is_internship)
    if found is None:
        raise DomainError(
            _("The plan has %(total)s academic hours; a course lasts at least %(minimum)s.")
            % {"total": _hours(total), "minimum": _hours(SHORT_MIN)}
        )
    return found


def _hours(value):
    value = Decimal(value)
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value.normalize())


def missing_sections(version):
    """The text sections of 000 §2.8 still empty in every language of the version (prefetch ``texts``)."""
    from .models import VersionText

    fields = [
        ("general_provisions", VersionText._meta.get_field("general_provisions").verbose_name),
        ("glossary", VersionText._meta.get_field("glossary").verbose_name),
        ("subject", VersionText._meta.get_field("subject").verbose_name),
        ("goal", VersionText._meta.get_field("goal").verbose_name),
        ("organisation", VersionText._meta.get_field("organisation").verbose_name),
        ("methodical_support", VersionText._meta.get_field("methodical_support").verbose_name),
        ("assessment", VersionText._meta.get_field("assessment").verbose_name),
        ("postcourse", VersionText._meta.get_field("postcourse").verbose_name),
        ("literature_main", VersionText._meta.get_field("literature_main").verbose_name),
    ]
    texts = list(version.texts.all())
    return [str(label) for name, label in fields if not any(getattr(t, name) for t in texts)]


def check_plan_for_release(program, version):
    """A draft goes to discussion, to the state body or to approval only when it is a whole program.

    ``version`` comes from ``version_with_plan`` (modules and topics prefetched).
    """
    modules = [m for m in version.modules.all() if not m.is_final_assessment]
    if not modules or not all(m.topics.all() for m in modules):
        raise DomainError(_("Every module of the plan needs at least one topic with hours."))
    total = plan_totals(version).total
    check_duration(total, form_of_study=program.form_of_study, is_internship=program.is_internship)
    order = getattr(program, "development_order", None)
    if order is not None and Decimal(order.hours) != total:
        raise DomainError(
            _("The plan has %(total)s academic hours, but the development order sets %(hours)s.")
            % {"total": _hours(total), "hours": order.hours}
        )
    missing = missing_sections(version)
    if missing:
        raise DomainError(_("Fill in the sections: %(sections)s.") % {"sections": "; ".join(missing)})
