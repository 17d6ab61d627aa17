"""The trainers' registry: who may teach (001 §21, 003 §5) and the organisation's 40% rule (001 §3)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import translation

from enrolment.enums import AcademicDegree, ContractType, TrainerCategory, TrainerKind
from enrolment.models import Trainer
from enrolment.services.trainers import check_assignable, trainer_compliance, trainer_create, trainer_update
from tests.factories import UserFactory, staff_user
from ziat.errors import DomainError
from ziat.models import Organisation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _english(settings, org):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def methodist(db):
    return staff_user("methodist")


def make_trainer(**fields):
    """A registry row made directly (the rules of the service are tested separately)."""
    return Trainer.objects.create(user=UserFactory(is_staff=True), **fields)


def _record(**kwargs):
    data = {
        "kind": TrainerKind.STAFF,
        "education": "",
        "academic_degree": AcademicDegree.NONE,
        "category": TrainerCategory.NONE,
        "is_certified": False,
        "certificate_number": "",
        "industry_experience": 0,
        "contract_type": ContractType.STAFF,
        "profile": "Mathematics",
        "is_active": True,
    }
    data.update(kwargs)
    return data


def _create(by, username="trainer1", **kwargs):
    return trainer_create(
        by=by, username=username, last_name="Әбенова", first_name="Гүлнар", email="g@example.kz", **_record(**kwargs)
    )


# ------------------------------------------------------------------------------------------- the 40% rule


def test_forty_percent_rule_counts_degrees_categories_and_industry_001_3():
    counted = [
        make_trainer(academic_degree=AcademicDegree.CANDIDATE),
        make_trainer(academic_degree=AcademicDegree.PHD),
        make_trainer(academic_degree=AcademicDegree.DOCTOR),
        make_trainer(category=TrainerCategory.RESEARCHER),
        make_trainer(category=TrainerCategory.MASTER),
        make_trainer(kind=TrainerKind.INDUSTRY, industry_experience=3, contract_type=ContractType.SERVICE),
    ]
    not_counted = [
        make_trainer(academic_degree=AcademicDegree.MASTER),  # not a scientific degree in 001 §3.1
        make_trainer(category=TrainerCategory.EXPERT),
        make_trainer(category=TrainerCategory.MODERATOR),
        make_trainer(kind=TrainerKind.INDUSTRY, industry_experience=2),  # an old row below 001 §21.2
        make_trainer(kind=TrainerKind.UNIVERSITY),
        make_trainer(kind=TrainerKind.EXTERNAL, is_certified=True, certificate_number="T-1"),
    ]
    make_trainer(academic_degree=AcademicDegree.PHD, is_active=False)  # inactive trainers are not counted at all

    Organisation.objects.filter(pk=1).update(staff_total=12)
    compliance = trainer_compliance()

    assert compliance.trainers == len(counted) + len(not_counted)
    assert compliance.qualifying == len(counted)
    assert compliance.qualifying_ids == {t.pk for t in counted}
    assert compliance.met  # 6 of a staff of 12 = 50%


def _staff_of(qualifying, total):
    """``qualifying`` qualified trainers in an organisation of ``total`` employees, two of them trainers who
    do not count and the rest staff who do not teach."""
    for _ in range(qualifying):
        make_trainer(category=TrainerCategory.RESEARCHER)
    make_trainer()
    make_trainer()
    Organisation.objects.filter(pk=1).update(staff_total=total)


@pytest.mark.parametrize(
    ("qualifying", "total", "met", "percent", "missing"),
    [(2, 5, True, "40.0", 0), (39, 100, False, "39.0", 1), (40, 100, True, "40.0", 0), (1, 3, False, "33.3", 1)],
)
def test_forty_percent_is_met_at_forty_not_at_thirty_nine_001_3(qualifying, total, met, percent, missing):
    _staff_of(qualifying, total)
    compliance = trainer_compliance()
    assert (compliance.qualifying, compliance.staff_total, compliance.trainers) == (qualifying, total, qualifying + 2)
    assert compliance.met is met
    assert str(compliance.percent) == percent
    assert compliance.missing == missing


def test_no_trainers_does_not_meet_the_rule_001_3():
    Organisation.objects.filter(pk=1).update(staff_total=10)
    compliance = trainer_compliance()
    assert (compliance.qualifying, compliance.met, compliance.missing) == (0, False, 4)


def test_the_rule_is_not_met_while_the_total_staff_is_unknown_001_3():
    for _ in range(3):
        make_trainer(academic_degree=AcademicDegree.PHD)
    compliance = trainer_compliance()
    assert compliance.qualifying == 3 and not compliance.staff_known and not compliance.met


def test_the_share_is_measured_against_the_total_staff_not_against_the_trainers_001_3():
    """Four qualified trainers among five make 80% of the trainers but only 20% of a staff of twenty."""
    for _ in range(4):
        make_trainer(category=TrainerCategory.MASTER)
    make_trainer()
    Organisation.objects.filter(pk=1).update(staff_total=20)
    compliance = trainer_compliance()
    assert (str(compliance.percent), compliance.met, compliance.missing) == ("20.0", False, 4)


# -------------------------------------------------------------------------------------------- the writes


def test_a_methodist_creates_a_trainer_with_a_staff_account_in_the_trainer_group(methodist):
    trainer = _create(methodist, academic_degree=AcademicDegree.PHD)
    user = trainer.user
    assert user.is_staff and user.username == "trainer1" and user.full_name == "Әбенова Гүлнар"
    assert list(user.groups.values_list("name", flat=True)) == ["trainer"]
    assert not user.has_usable_password()
    assert user.has_perm("enrolment.view_session") and user.has_perm("enrolment.mark_attendance")


def test_an_external_trainer_without_a_certificate_is_refused_003_5_1_5(methodist):
    with pytest.raises(DomainError, match="certified trainer"):
        _create(methodist, kind=TrainerKind.EXTERNAL)
    with pytest.raises(DomainError, match="certificate number"):
        _create(methodist, kind=TrainerKind.EXTERNAL, is_certified=True, certificate_number="  ")
    assert not Trainer.objects.exists()
    assert not get_user_model().objects.filter(username="trainer1").exists()
    trainer = _create(methodist, kind=TrainerKind.EXTERNAL, is_certified=True, certificate_number=" СТ-0042 ")
    assert trainer.certificate_number == "СТ-0042"


def test_the_database_refuses_an_uncertified_external_trainer_003_5_1_5():
    with pytest.raises(IntegrityError):
        make_trainer(kind=TrainerKind.EXTERNAL, is_certified=False)


def test_an_industry_specialist_needs_three_years_of_experience_001_21(methodist):
    with pytest.raises(DomainError, match="at least 3 years"):
        _create(methodist, kind=TrainerKind.INDUSTRY, industry_experience=2)
    assert not Trainer.objects.exists()
    assert _create(methodist, kind=TrainerKind.INDUSTRY, industry_experience=3).industry_experience == 3


def test_making_a_trainer_external_without_a_certificate_is_refused_on_change_003_5_1_5(methodist):
    trainer = _create(methodist)
    with pytest.raises(DomainError, match="certified trainer"):
        trainer_update(trainer, by=methodist, last_name="Әбенова", first_name="Гүлнар", kind=TrainerKind.EXTERNAL)
    trainer.refresh_from_db()
    assert trainer.kind == TrainerKind.STAFF


def test_the_update_changes_names_and_record(methodist):
    trainer = _create(methodist)
    trainer_update(
        trainer,
        by=methodist,
        last_name="Серікова",
        first_name="Гүлнар",
        email="new@example.kz",
        **_record(category=TrainerCategory.MASTER, is_active=False),
    )
    trainer.refresh_from_db()
    assert trainer.user.last_name == "Серікова" and trainer.user.email == "new@example.kz"
    assert trainer.category == TrainerCategory.MASTER and not trainer.is_active


def test_the_login_must_be_free(methodist):
    UserFactory(username="taken")
    with pytest.raises(DomainError, match="already taken"):
        _create(methodist, username="taken")
    assert not Trainer.objects.exists()


@pytest.mark.parametrize("role", ["registrar", "trainer", "accountant"])
def test_only_who_may_add_trainers_adds_them(role):
    with pytest.raises(DomainError):
        _create(staff_user(role))
    assert not Trainer.objects.exists()


def test_documents_are_checked_by_content_not_by_name(methodist):
    with pytest.raises(DomainError, match="not a PDF file"):
        trainer_create(
            by=methodist,
            username="t1",
            last_name="Ақанов",
            first_name="Ержан",
            certificate=SimpleUploadedFile("certificate.pdf", PNG),
            **_record(),
        )
    with pytest.raises(DomainError, match="not accepted"):
        trainer_create(
            by=methodist,
            username="t1",
            last_name="Ақанов",
            first_name="Ержан",
            contract_document=SimpleUploadedFile("contract.exe", PDF),
            **_record(),
        )
    assert not Trainer.objects.exists()
    trainer = trainer_create(
        by=methodist,
        username="t1",
        last_name="Ақанов",
        first_name="Ержан",
        certificate=SimpleUploadedFile("certificate.pdf", PDF),
        contract_document=SimpleUploadedFile("contract.png", PNG),
        **_record(),
    )
    with trainer.certificate.open("rb") as stored:
        assert stored.read() == PDF
    assert trainer.contract_document.name.endswith(".png")


# ------------------------------------------------------------------------------------- check_assignable


def test_an_active_trainer_is_assignable_003_5():
    check_assignable(make_trainer().user)
    check_assignable(make_trainer(kind=TrainerKind.EXTERNAL, is_certified=True, certificate_number="T").user)


def test_check_assignable_refuses_a_user_who_is_not_a_trainer_003_5():
    with pytest.raises(DomainError, match="not in the trainers' registry"):
        check_assignable(UserFactory(is_staff=True))
    with pytest.raises(DomainError):
        check_assignable(None)


def test_check_assignable_refuses_an_inactive_trainer_003_5():
    with pytest.raises(DomainError, match="not an active trainer"):
        check_assignable(make_trainer(is_active=False).user)


def test_check_assignable_refuses_an_external_trainer_without_a_certificate_number_003_5_1_5():
    # The database insists on the flag only; a certificate number is needed as well.
    trainer = make_trainer(kind=TrainerKind.EXTERNAL, is_certified=True, certificate_number="")
    with pytest.raises(DomainError, match="without a trainer's certificate"):
        check_assignable(trainer.user)
