"""How certificates lead to their cohort and their listener (see ``ziat.access``)."""

from ziat import access

from .models import AppendixLine, Certificate, CertificateDuplicate, Internship, InternshipCertificate, Reference


def register():
    access.register(Certificate, cohort="enrolment__cohort", person="enrolment__listener__user")
    access.register(
        CertificateDuplicate,
        cohort="certificate__enrolment__cohort",
        person="certificate__enrolment__listener__user",
    )
    access.register(
        AppendixLine, cohort="certificate__enrolment__cohort", person="certificate__enrolment__listener__user"
    )
    access.register(Reference, cohort="enrolment__cohort", person="enrolment__listener__user")
    access.register(Internship, cohort="enrolment__cohort", person="enrolment__listener__user")
    access.register(
        InternshipCertificate, cohort="internship__enrolment__cohort", person="internship__enrolment__listener__user"
    )
