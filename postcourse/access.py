"""How the support period leads to its cohort and its listener (see ``ziat.access``)."""

from ziat import access

from .models import SupportPeriod


def register():
    access.register(SupportPeriod, cohort="enrolment__cohort", person="enrolment__listener__user")
