"""The trainers' registry (001 §3, §21-22, 003 §5) and the trainer's own day.

Who may teach: teachers with experience in the program's profile, industry specialists with at least three
years of experience (001 §21.2, 003 §5.1.2), university teaching staff and invited lecturers; an external
(invited, not on the staff) trainer must be a certified trainer (003 §5.1.5).

The organisation's rule (001 §3.1): qualified trainers, on the staff or not, make at least 40% of the
organisation's total staff (its staff list, entered in the organisation's settings). A qualified trainer holds
a scientific degree (candidate or doctor of sciences, PhD, doctor by profile) or the category
"педагог-исследователь" / "педагог-мастер", or is an industry specialist with at least three years of
experience. A master's degree is not a scientific
degree in the sense of 001 §3.1 (the clause lists only candidate, doctor and PhD), so it does not count.

Writes are plain functions with keyword-only arguments and an explicit actor; the reads the pages need are in
``enrolment.selectors``, each in a fixed number of queries.
"""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext as _

from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.models import Organisation
from ziat.uploads import SCAN_TYPES, check_document

from ..enums import AcademicDegree, TrainerCategory, TrainerKind
from ..models import Trainer

TRAINER_GROUP = "trainer"

# 001 §3.1: the share of qualified trainers the organisation must keep, in percent.
REQUIRED_PERCENT = 40
# 001 §21.2, 003 §5.1.2: the least industry experience of an industry specialist, in years.
INDUSTRY_MIN_YEARS = 3
# Scientific degrees named in 001 §3.1 (a master's degree is not one of them).
QUALIFYING_DEGREES = (AcademicDegree.CANDIDATE, AcademicDegree.PHD, AcademicDegree.DOCTOR)
# Qualification categories named in 001 §3.1.
QUALIFYING_CATEGORIES = (TrainerCategory.RESEARCHER, TrainerCategory.MASTER)

# The trainer's own fields the registry edits (the user's names and e-mail are passed separately).
TRAINER_FIELDS = (
    "kind",
    "education",
    "academic_degree",
    "category",
    "is_certified",
    "certificate_number",
    "industry_experience",
    "contract_type",
    "profile",
    "is_active",
)
DOCUMENT_FIELDS = ("certificate", "contract_document")


# ------------------------------------------------------------------------------------------- the 40% rule


def qualifying_q(prefix=""):
    """The trainers who count towards the 40% of 001 §3.1, as a filter (``prefix`` for related lookups)."""
    return (
        Q(**{f"{prefix}academic_degree__in": QUALIFYING_DEGREES})
        | Q(**{f"{prefix}category__in": QUALIFYING_CATEGORIES})
        | Q(**{f"{prefix}kind": TrainerKind.INDUSTRY, f"{prefix}industry_experience__gte": INDUSTRY_MIN_YEARS})
    )


def qualifying_reasons(trainer):
    """Why ``trainer`` counts towards the 40% (001 §3.1); an empty list when it does not."""
    reasons = []
    if trainer.academic_degree in QUALIFYING_DEGREES:
        reasons.append(trainer.get_academic_degree_display())
    if trainer.category in QUALIFYING_CATEGORIES:
        reasons.append(trainer.get_category_display())
    if trainer.kind == TrainerKind.INDUSTRY and trainer.industry_experience >= INDUSTRY_MIN_YEARS:
        reasons.append(_("Industry specialist, %(years)s years of experience") % {"years": trainer.industry_experience})
    return reasons


@dataclass(frozen=True)
class Compliance:
    """The organisation's standing against 001 §3.1: its qualifying trainers, staff and non-staff, measured
    against the organisation's total staff (``staff_total``, None while the organisation has not entered it)."""

    qualifying: int
    staff_total: int | None
    trainers: int = 0
    qualifying_ids: frozenset = field(default_factory=frozenset)

    required_percent = REQUIRED_PERCENT

    @property
    def staff_known(self):
        return bool(self.staff_total)

    @property
    def met(self):
        # Whole numbers only: 2 of 5 is exactly 40% and meets the rule, 39 of 100 does not.
        return self.staff_known and self.qualifying * 100 >= REQUIRED_PERCENT * self.staff_total

    @property
    def percent(self):
        if not self.staff_known:
            return Decimal("0")
        return (Decimal(self.qualifying) * 100 / self.staff_total).quantize(Decimal("0.1"), rounding=ROUND_DOWN)

    @property
    def required(self):
        """The least number of qualifying trainers the rule needs for the organisation's total staff."""
        return -(-REQUIRED_PERCENT * self.staff_total // 100) if self.staff_known else 0

    @property
    def missing(self):
        return max(self.required - self.qualifying, 0)


def trainer_compliance():
    """The organisation's qualifying active trainers against its total staff (001 §3.1), in one query."""
    active = Trainer.objects.filter(is_active=True).annotate(
        counts=Case(When(qualifying_q(), then=Value(True)), default=Value(False))
    )
    rows = list(active.values_list("pk", "counts"))
    qualifying = frozenset(pk for pk, counts in rows if counts)
    return Compliance(
        qualifying=len(qualifying),
        staff_total=Organisation.current().staff_total,
        trainers=len(rows),
        qualifying_ids=qualifying,
    )


# ---------------------------------------------------------------------------------------------- the rules


def check_trainer_rules(trainer):
    """The rules of one trainer's record, in the words a methodist understands."""
    if trainer.kind not in TrainerKind.values:
        raise DomainError(_("Choose the kind of trainer."))
    trainer.certificate_number = (trainer.certificate_number or "").strip()
    if trainer.kind == TrainerKind.EXTERNAL and not (trainer.is_certified and trainer.certificate_number):
        raise DomainError(
            _(
                "An external trainer may teach only as a certified trainer (003 §5.1.5): "
                "mark the trainer as certified and enter the certificate number."
            )
        )
    if trainer.is_certified and not trainer.certificate_number:
        raise DomainError(_("Enter the number of the trainer's certificate."))
    if trainer.kind == TrainerKind.INDUSTRY and (trainer.industry_experience or 0) < INDUSTRY_MIN_YEARS:
        raise DomainError(
            _("An industry specialist needs at least %(years)s years of industry experience (001 §21).")
            % {"years": INDUSTRY_MIN_YEARS}
        )


def _check_documents(documents):
    for name, upload in documents.items():
        if name not in DOCUMENT_FIELDS:
            raise ValueError(name)
        if upload:
            check_document(upload, types=SCAN_TYPES)


def _put_documents(trainer, documents):
    changed = []
    for name, upload in documents.items():
        if upload:
            getattr(trainer, name).save(upload.name, upload, save=False)
            changed.append(name)
    return changed


def check_assignable(user) -> None:
    """Raise a DomainError unless ``user`` may be set as a session's trainer (003 §5.1.5)."""
    if user is None or user.pk is None:
        raise DomainError(_("Choose the session's trainer."))
    trainer = Trainer.objects.filter(user_id=user.pk).select_related("user").first()
    if trainer is None:
        raise DomainError(_("%(user)s is not in the trainers' registry.") % {"user": user})
    if not (trainer.is_active and trainer.user.is_active):
        raise DomainError(_("%(user)s is not an active trainer.") % {"user": user})
    if trainer.kind == TrainerKind.EXTERNAL and not (trainer.is_certified and trainer.certificate_number.strip()):
        raise DomainError(
            _("%(user)s is an external trainer without a trainer's certificate (003 §5.1.5).") % {"user": user}
        )


# --------------------------------------------------------------------------------------------- the writes


@transaction.atomic
def trainer_create(
    *,
    by,
    username,
    last_name,
    first_name,
    middle_name="",
    email="",
    password=None,
    certificate=None,
    contract_document=None,
    **fields,
):
    """A staff account in the "trainer" group and its entry in the registry."""
    # A new trainer is the centre's, for any cohort: there is no record to name yet.
    access.require(by, "enrolment.add_trainer", None, _("You may not add trainers."))
    unknown = set(fields) - set(TRAINER_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown))
    if not username.strip():
        raise DomainError(_("Enter the trainer's login."))
    if not (last_name.strip() and first_name.strip()):
        raise DomainError(_("Enter the trainer's surname and first name."))
    trainer = Trainer(**fields)
    check_trainer_rules(trainer)
    documents = {"certificate": certificate, "contract_document": contract_document}
    _check_documents(documents)

    user = get_user_model()(
        username=username.strip(),
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        middle_name=middle_name.strip(),
        email=email.strip(),
        is_staff=True,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()  # the trainer sets a password through "forgot password"
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise DomainError(_("This login is already taken.")) from None
    group, _created = Group.objects.get_or_create(name=TRAINER_GROUP)
    user.groups.add(group)
    trainer.user = user
    _put_documents(trainer, documents)
    trainer.save()
    log_action(trainer, "enrolment.trainer.created", by=by, after={name: getattr(trainer, name) for name in fields})
    return trainer


@transaction.atomic
def trainer_update(
    trainer, *, by, last_name, first_name, middle_name="", email="", certificate=None, contract_document=None, **fields
):
    """Change a trainer's record; new documents replace the old ones, absent ones are kept."""
    access.require(by, "enrolment.change_trainer", trainer, _("You may not change trainers."))
    unknown = set(fields) - set(TRAINER_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown))
    if not (last_name.strip() and first_name.strip()):
        raise DomainError(_("Enter the trainer's surname and first name."))
    trainer = Trainer.objects.select_for_update().select_related("user").get(pk=trainer.pk)
    before = {name: getattr(trainer, name) for name in fields}
    before.update((name, getattr(trainer.user, name)) for name in ("last_name", "first_name", "middle_name", "email"))
    for name, value in fields.items():
        setattr(trainer, name, value)
    check_trainer_rules(trainer)
    documents = {"certificate": certificate, "contract_document": contract_document}
    _check_documents(documents)

    user = trainer.user
    names = {
        "last_name": last_name.strip(),
        "first_name": first_name.strip(),
        "middle_name": middle_name.strip(),
        "email": email.strip(),
    }
    changed_user = [name for name, value in names.items() if getattr(user, name) != value]
    for name in changed_user:
        setattr(user, name, names[name])
    if changed_user:
        user.save(update_fields=changed_user)
    changed = [*fields, *_put_documents(trainer, documents)]
    if "certificate_number" not in changed:
        changed.append("certificate_number")  # check_trainer_rules trims it
    trainer.save(update_fields=changed)
    after = {**{name: getattr(trainer, name) for name in fields}, **names}
    log_action(
        trainer,
        "enrolment.trainer.changed",
        by=by,
        before=before,
        after=after,
        data={"documents": [n for n in changed if n in DOCUMENT_FIELDS]},
    )
    return trainer
