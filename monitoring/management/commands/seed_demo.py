"""Load the demo: the organisation, one user per role, three programs (approved 004, in discussion, in
rework), a finished cohort of 12 listeners with certificates (one revoked, one with a duplicate, one replaced by
a corrected reissue), a cohort of three years ago whose certificates have expired, a school's accepted request
and a teacher's paid application, both up to an enrolled listener with an accepted contract."""

import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from certificates.services import certificates_issue_for_cohort
from enrolment.enums import Funding
from enrolment.iin import make_iin
from enrolment.models import Cohort, Listener, Session, Trainer
from enrolment.services.core import attendance_save, enrolment_create, listener_create
from monitoring.demo import assessment_runs as demo_runs
from monitoring.demo import certificates as certificates_demo
from monitoring.demo import enrolment as enrolment_demo
from monitoring.demo import feedback as feedback_demo
from monitoring.demo import planning as planning_demo
from monitoring.demo import programs as programs_demo
from monitoring.demo import reviews as reviews_demo
from monitoring.demo import support as support_demo
from monitoring.demo.days import course_days, course_days_until
from programs.enums import Language
from ziat.models import Organisation
from ziat.roles import ROLE_NAMES

PASSWORD = "demo-ziat-2026"  # noqa: S105 (the published demo password)
COHORT_CODE = "DEMO-004-01"
EXPIRED_CODE = "DEMO-004-00"  # three years and more ago: its certificates have expired (000 §3.8)
EXPIRED_LISTENERS = 3

STAFF = {
    "director": ("Мұратова", "Сәуле", "Director"),
    "methodist": ("Ахметова", "Динара", "Methodist"),
    "registrar": ("Ли", "Марина", "Registrar"),
    "trainer": ("Есенов", "Бақыт", "Trainer"),
    "accountant": ("Сейітова", "Алма", "Accountant"),
    "monitoring": ("Омаров", "Талғат", "Monitoring"),
}

# Per listener of the finished cohort: sessions missed (index into the 10 four-hour sessions), correct
# answers of the final test's 25 (None: below 80%, not admitted), of the entrance diagnostic's 10, and the
# project's points by the five criteria of 004 §8.
MISSED = {2: [3, 4, 5], 6: [1, 8], 9: [0]}
FINAL_CORRECT = [23, 21, None, 24, 14, 17, 22, 20, 19, 25, 18, 20]
ENTRANCE_CORRECT = [6, 5, 4, 7, 3, 5, 6, 4, 5, 8, 5, 6]
PROJECT_POINTS = [
    (2, 2, 2, 2, 1),
    (2, 1, 2, 1, 2),
    (1, 1, 1, 1, 1),
    (2, 2, 2, 2, 2),
    (1, 1, 1, 1, 1),
    (1, 2, 1, 1, 1),
    (2, 2, 1, 2, 2),
    (2, 1, 1, 2, 1),
    (1, 2, 1, 1, 2),
    (2, 2, 2, 2, 2),
    (1, 1, 2, 1, 1),
    (2, 2, 1, 1, 2),
]
RUNNING_CODE = "DEMO-004-04"
RUNNING_LISTENERS = [
    ("Бекова", "Айгүл", "Серікқызы", True),
    ("Жанибеков", "Арман", "Қайратұлы", False),
    ("Исаева", "Гаухар", "Маратқызы", True),
    ("Павлова", "Елена", "Сергеевна", True),
    ("Төлеубаев", "Ерболат", "Асанұлы", False),
    ("Мұхамеджанова", "Дана", "Ерланқызы", True),
]
RUNNING_MISSED = {4: [1, 2, 5]}
RUNNING_ENTRANCE = [5, 4, 6, 3, 4, 7]


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            self.organisation()
            users = self.staff()
            self.trainers(users)
            program = programs_demo.program_004(by_methodist=users["methodist"], by_director=users["director"])
            programs_demo.program_in_discussion(by_methodist=users["methodist"])
            programs_demo.program_in_rework(by_methodist=users["methodist"])
            self.expired_cohort(program, users)
            cohort = self.cohort(program, users)
            running = self.running_cohort(program, users)
            by_request = enrolment_demo.request_path(
                program, registrar=users["registrar"], director=users["director"], password=PASSWORD
            )
            by_application = enrolment_demo.application_path(
                program,
                registrar=users["registrar"],
                director=users["director"],
                accountant=users["accountant"],
                password=PASSWORD,
            )
            planning_demo.planning_chain(program, users=users, password=PASSWORD)
            support_demo.support_demo(cohort, methodist=users["methodist"], trainer=users["trainer"])
            feedback_demo.feedback(users)
            # Last: the review is assembled from what the demo holds by then (000 §4.5).
            reviews_demo.seed(program, users=users)
        # The verification pages the certificates' QR codes open, as a deploy prepares them: those of this run's
        # certificates were rendered when its transaction committed; this renders any still missing.
        call_command("prepare_verification_pages", "--missing", stdout=io.StringIO())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: cohort {cohort.code}, program «{program}»."))
        self.stdout.write(f"Demo logins (password for all: {PASSWORD}):")
        for username in STAFF:
            self.stdout.write(f"  {username:<11} {ROLE_NAMES[username]}")
        first = cohort.enrolments.select_related("listener__user").order_by("pk").first()
        self.stdout.write(f"  {first.listener.iin}  listener with a certificate ({first.listener.full_name})")
        self.stdout.write("  school       representative of a school (its request is accepted)")
        self.stdout.write(
            "  school_head  head of a school in the planning chain (teachers' applications, the school's plan)"
        )
        self.stdout.write("  department   a city education department (its schools' plans, the consolidated plan)")
        self.stdout.write("  region       a regional education department (its plan, lists, the chain's figures)")
        e = running.enrolments.select_related("listener__user").order_by("pk").first()
        self.stdout.write(
            f"  {e.listener.iin}  listener in {running.code} (last day, final test open): {e.listener.full_name}"
        )
        for later in (by_request, by_application):
            e = later.enrolments.select_related("listener__user").filter(contract__accepted_at__isnull=False).first()
            self.stdout.write(f"  {e.listener.iin}  listener enrolled in {later.code} ({e.listener.full_name})")

    def organisation(self):
        if not Organisation.objects.exists():
            Organisation.objects.create(
                name_kk="«ZIAT ғылыми-әдістемелік орталығы» ЖШС",
                name_ru="ТОО «Научно-методический центр «ZIAT»»",
                short_name="ZIAT",
                city_kk="Астана",
                city_ru="Астана",
                head_title_kk="Директор",
                head_title_ru="Директор",
                head_name="С. Мұратова",
                academic_hour_minutes=45,
                registration_prefix="ZIAT",
                staff_total=7,  # three qualified trainers of seven employees: 42.8% (001 §3.1)
            )

    def staff(self):
        User = get_user_model()
        users = {}
        for username, (last, first, _label) in STAFF.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username=username,
                    password=PASSWORD,
                    last_name=last,
                    first_name=first,
                    is_staff=True,
                    email=f"{username}@example.kz",
                )
            user.groups.add(Group.objects.get(name=username))
            users[username] = user
        return users

    def trainers(self, users):
        """The registry of trainers (001 §3): a staff trainer, a certified external one, an industry specialist."""
        User = get_user_model()
        Trainer.objects.get_or_create(
            user=users["trainer"],
            defaults={
                "kind": "staff",
                "education": "Магистр педагогических наук",
                "academic_degree": "master",
                "category": "researcher",
                "is_certified": True,
                "certificate_number": "TR-2024-0117",
                "contract_type": "staff",
                "profile": "Педагогика, оценивание",
            },
        )
        for username, last, first, extra in (
            (
                "nurgali",
                "Нұрғали",
                "Асқар",
                {"kind": "external", "is_certified": True, "certificate_number": "TR-2023-0452", "category": "master"},
            ),
            (
                "petrenko",
                "Петренко",
                "Олег",
                {"kind": "industry", "industry_experience": 7, "contract_type": "service"},
            ),
        ):
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username=username, password=PASSWORD, last_name=last, first_name=first, is_staff=True
                )
                user.groups.add(Group.objects.get(name="trainer"))
            Trainer.objects.get_or_create(user=user, defaults={"contract_type": "service", **extra})

    def cohort(self, program, users):
        cohort = Cohort.objects.filter(code=COHORT_CODE).first()
        if cohort:
            return cohort
        today = timezone.localdate()
        days = course_days(today - datetime.timedelta(days=today.weekday() + 14))  # from Monday two weeks ago
        cohort = Cohort.objects.create(
            program=program,
            version=program.approved_version,
            code=COHORT_CODE,
            language=Language.KK,
            funding=Funding.STATE,
            starts_on=days[0],
            ends_on=days[-1],
            capacity=25,
            test_max_score=25,
            test_pass_score=17,
        )
        topics = [t for m in program.approved_version.modules.all() for t in m.topics.all()]
        sessions = []
        for i in range(10):
            day = days[i // 2]
            morning = i % 2 == 0
            sessions.append(
                Session.objects.create(
                    cohort=cohort,
                    date=day,
                    starts_at=datetime.time(9 if morning else 14, 0),
                    ends_at=datetime.time(12 if morning else 17, 0),
                    topic=topics[i * 2],
                    hours=Decimal("4"),
                    trainer=users["trainer"],
                    place="Аудитория 204",
                )
            )
        listeners = enrolment_demo.listeners(by=users["registrar"], password=PASSWORD)
        enrolments = [
            enrolment_create(cohort=cohort, listener=listener, by=users["registrar"]) for listener in listeners
        ]
        marks = {
            (s.pk, e.pk): j not in MISSED.get(i, []) for i, e in enumerate(enrolments) for j, s in enumerate(sessions)
        }
        attendance_save(cohort=cohort, marks=marks, by=users["trainer"])
        demo_runs.assess_finished_cohort(
            cohort,
            methodist=users["methodist"],
            trainer=users["trainer"],
            scores=FINAL_CORRECT,
            entrance=ENTRANCE_CORRECT,
            projects=PROJECT_POINTS,
        )
        certificates_issue_for_cohort(cohort, by=users["director"], on=cohort.ends_on + datetime.timedelta(days=3))
        certificates_demo.certificates_lifecycle(cohort, director=users["director"], trainer=users["trainer"])
        return cohort

    def _sessions(self, cohort, program, users, *, first_topic, place):
        """Ten four-hour sessions over five working days, morning and afternoon, on every other topic of the plan."""
        topics = [t for m in program.approved_version.modules.all() for t in m.topics.all()]
        days = course_days(cohort.starts_on)
        return [
            Session.objects.create(
                cohort=cohort,
                date=days[i // 2],
                starts_at=datetime.time(9 if i % 2 == 0 else 14, 0),
                ends_at=datetime.time(12 if i % 2 == 0 else 17, 0),
                topic=topics[i * 2 + first_topic],
                hours=Decimal("4"),
                trainer=users["trainer"],
                place=place,
            )
            for i in range(10)
        ]

    def expired_cohort(self, program, users):
        """A cohort of three years and a half ago: three of the demo's listeners, all passed, whose certificates
        have expired (000 §3.8); they take the course again in the finished cohort."""
        cohort = Cohort.objects.filter(code=EXPIRED_CODE).first()
        if cohort:
            return cohort
        today = timezone.localdate()
        day = today.replace(year=today.year - 3, day=1) - datetime.timedelta(days=180)
        days = course_days(day - datetime.timedelta(days=day.weekday()))  # from a Monday
        cohort = Cohort.objects.create(
            program=program,
            version=program.approved_version,
            code=EXPIRED_CODE,
            language=Language.KK,
            funding=Funding.STATE,
            starts_on=days[0],
            ends_on=days[-1],
            capacity=25,
            test_max_score=25,
            test_pass_score=17,
        )
        sessions = self._sessions(cohort, program, users, first_topic=0, place="Аудитория 101")
        listeners = enrolment_demo.listeners(by=users["registrar"], password=PASSWORD)[:EXPIRED_LISTENERS]
        enrolments = [
            enrolment_create(cohort=cohort, listener=listener, by=users["registrar"]) for listener in listeners
        ]
        marks = {(s.pk, e.pk): True for e in enrolments for s in sessions}
        attendance_save(cohort=cohort, marks=marks, by=users["trainer"])
        demo_runs.assess_finished_cohort(
            cohort,
            methodist=users["methodist"],
            trainer=users["trainer"],
            scores=[22, 20, 24],
            entrance=[4, 5, 3],
            projects=[(2, 2, 2, 1, 2), (2, 1, 2, 2, 1), (2, 2, 2, 2, 2)],
        )
        certificates_issue_for_cohort(cohort, by=users["director"], on=cohort.ends_on + datetime.timedelta(days=3))
        return cohort

    def running_cohort(self, program, users):
        """A cohort in its last day (001 §24): attendance marked up to yesterday, one listener below 80%,
        the entrance diagnostic sat, the final test open, some project works waiting for the trainer."""
        cohort = Cohort.objects.filter(code=RUNNING_CODE).first()
        if cohort:
            return cohort
        today = timezone.localdate()
        days = course_days_until(today)  # its last day is today, or the last working day before it
        cohort = Cohort.objects.create(
            program=program,
            version=program.approved_version,
            code=RUNNING_CODE,
            language=Language.KK,
            funding=Funding.STATE,
            starts_on=days[0],
            ends_on=days[-1],
            capacity=25,
            test_max_score=25,
            test_pass_score=17,
        )
        topics = [t for m in program.approved_version.modules.all() for t in m.topics.all()]
        sessions = [
            Session.objects.create(
                cohort=cohort,
                date=days[i // 2],
                starts_at=datetime.time(9 if i % 2 == 0 else 14, 0),
                ends_at=datetime.time(12 if i % 2 == 0 else 17, 0),
                topic=topics[i * 2 + 1],
                hours=Decimal("4"),
                trainer=users["trainer"],
                place="Аудитория 305",
            )
            for i in range(10)
        ]
        enrolments = []
        for i, (last, first, middle, female) in enumerate(RUNNING_LISTENERS):
            born = datetime.date(1980 + i * 2, (i % 12) + 1, 5 + i)
            iin = make_iin(born, 3000 + i * 11, female)
            listener = Listener.objects.filter(iin=iin).first() or listener_create(
                by=users["registrar"],
                last_name=last,
                first_name=first,
                middle_name=middle,
                iin=iin,
                birth_date=born,
                email=f"teacher{i + 1}@example.kz",
                workplace="№ 12 мектеп-лицейі / Школа-лицей № 12",
                position="Мұғалім / Учитель",
                password=PASSWORD,
            )
            enrolments.append(enrolment_create(cohort=cohort, listener=listener, by=users["registrar"]))
        held = [s for s in sessions if s.date < today]
        marks = {
            (s.pk, e.pk): j not in RUNNING_MISSED.get(i, [])
            for i, e in enumerate(enrolments)
            for j, s in enumerate(held)
        }
        attendance_save(cohort=cohort, marks=marks, by=users["trainer"])
        demo_runs.prepare_running_cohort(cohort, methodist=users["methodist"], entrance=RUNNING_ENTRANCE)
        return cohort
