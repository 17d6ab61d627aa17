"""The access layer's own rules (``ziat.access``): every record a service acts on has a rule, the centre's own
records are decided by the permission, permissions are the staff's, and no one acts without being named."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission

from enrolment.models import Partner, Representative
from programs.models import NeedsSurvey, Program
from tests.factories import UserFactory, cohort, enrolment, program, staff_user, teach
from ziat import access
from ziat.models import Job

# Records of the stages no service names to ``access.require``, with the reason.
NO_RULE = {
    "CalendarFeed": "a listener's or trainer's own secret address, looked up by its token",
    "RegisterSequence": "the counter of registration numbers, changed only inside the issue of a certificate",
    "SigningKey": "the organisation's key, kept and used by the signing code alone",
    "VerificationPage": "the public page a QR code opens, rendered and served by the verification code alone",
    "SignatureCertificate": "the organisation's PDF signing certificate, kept and used by the signing code alone",
    "CohortFigures": "figures computed from a cohort's records, never written by a user",
}
APPS = ["programs", "enrolment", "assessment", "certificates", "postcourse", "monitoring"]


def test_every_record_of_the_stages_has_an_access_rule():
    """A service names the record it acts on; the layer must know how to decide for it."""
    missing = [
        model.__name__
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if access.rule_of(model) is None and model.__name__ not in NO_RULE
    ]
    assert missing == []


def test_a_record_of_a_kind_without_a_rule_is_a_mistake_in_the_code_not_a_record_anyone_reaches(db, registrar):
    job = Job.objects.create(kind="test", title="Жұмыс", owner=registrar)
    with pytest.raises(LookupError, match="no access rule for Job"):
        access.require(registrar, None, job)


def test_no_user_may_anything(db):
    with pytest.raises(access.AccessDenied):
        access.require(None, None)
    assert not access.may(None, "programs.change_program", program())


@pytest.mark.parametrize("who", ["listener", "representative"])
def test_a_user_who_is_not_staff_holds_no_permission_whatever_was_granted(db, who):
    """Permissions are the staff roles' (``ziat.roles``): a listener or a representative given one holds none."""
    if who == "listener":
        user = enrolment().listener.user
    else:
        user = UserFactory()
        Representative.objects.create(user=user, partner=Partner.objects.create(name="№ 1 мектеп", kind="school"))
    user.user_permissions.add(Permission.objects.get(codename="change_cohort"))
    user = type(user).objects.get(pk=user.pk)
    assert user.has_perm("enrolment.change_cohort")
    assert not access.may(user, "enrolment.change_cohort")


def test_the_centres_own_records_are_decided_by_the_permission_alone(db):
    """A program and a needs survey belong to no cohort: a methodist reaches every one, a trainer's lists hold
    them all (the permission still decides what the trainer may do to them)."""
    methodist, trainer = staff_user("methodist"), teach(cohort(), staff_user("trainer"))
    survey = NeedsSurvey.objects.create(title_ru="Анкета", created_by=staff_user("methodist"))
    prog = program()
    assert access.may(methodist, "programs.change_needssurvey", survey)
    assert access.may(methodist, "programs.change_program", prog)
    assert not access.may(trainer, "programs.change_program", prog)
    assert access.may(trainer, "programs.view_program", prog)
    assert access.scope(trainer, Program.objects.all()).count() == Program.objects.count()


def test_a_trainer_reaches_the_cohorts_they_teach_and_no_other(db):
    mine, other = cohort(code="M-1"), cohort(code="O-1")
    trainer = teach(mine, staff_user("trainer"))
    assert access.reaches(trainer, mine) and not access.reaches(trainer, other)
    registrar = staff_user("registrar")
    assert access.reaches(registrar, mine) and access.reaches(registrar, other)
