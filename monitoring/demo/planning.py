"""The planning chain in the demo (001 §§10-18): a region with two districts and four schools whose teachers
applied, whose plans went up the chain for the coming year (one department late, accepted by the centre's
decision), two budget-funded courses agreed with the region, and the first course admitted on the region's
letter with the heads' referral orders. Demo users: a school head, a department and a region."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from enrolment.iin import make_iin
from enrolment.models import Partner, Plan, Representative, TeacherRequest
from enrolment.planning_rules import coming_year
from enrolment.services import planning as chain
from enrolment.services.admission import admission_order_sign
from enrolment.services.requests import representative_create, request_submit
from monitoring.demo.enrolment import _demo_cohort, _pdf

MINISTRY = "Қазақстан Республикасы Оқу-ағарту министрлігі"
REGION = "Батыс Қазақстан облысы білім басқармасы"
DISTRICTS = {
    "Орал қаласы білім бөлімі": ["№ 9 мектеп-гимназиясы", "№ 25 жалпы білім беретін мектеп"],
    "Бөрлі ауданы білім бөлімі": ["Ақсай № 2 мектеп-лицейі", "Бөрлі ауданының колледжі"],
}
# The demo users of the chain: login, last and first name, the organisation they represent.
LOGINS = {
    "school_head": ("Сұлтанова", "Гүлмира", "№ 9 мектеп-гимназиясы"),
    "department": ("Ерғалиев", "Марат", "Орал қаласы білім бөлімі"),
    "region": ("Қайыржанова", "Әлия", REGION),
}
# Two teachers per school: last, first, middle, date of birth, female, position, subject.
TEACHERS = [
    ("Әлиева", "Дина", "Серікқызы", datetime.date(1987, 2, 11), True, "Мұғалім", "Математика"),
    ("Мұқанов", "Асхат", "Ерланұлы", datetime.date(1983, 8, 3), False, "Мұғалім", "Физика"),
    ("Жексенова", "Айнаш", "Болатқызы", datetime.date(1990, 4, 27), True, "Мұғалім", "Қазақ тілі"),
    ("Орлова", "Ирина", "Викторовна", datetime.date(1985, 12, 9), True, "Учитель", "Русский язык"),
    ("Байтенов", "Руслан", "Маратұлы", datetime.date(1992, 1, 19), False, "Мұғалім", "Информатика"),
    ("Сәрсенова", "Мөлдір", "Асқарқызы", datetime.date(1989, 10, 30), True, "Мұғалім", "Химия"),
    ("Нұрпейісов", "Ерлан", "Қанатұлы", datetime.date(1981, 6, 14), False, "Оқытушы", "Электротехника"),
    ("Тұрсынова", "Сәуле", "Жанатқызы", datetime.date(1986, 3, 22), True, "Оқытушы", "Педагогика"),
]


def _on(day):
    """The chain's steps as they happened on ``day`` (the demo tells a story that began months ago)."""
    return chain.as_of(day)


def _sent_on(plan, day):
    Plan.objects.filter(pk=plan.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    )


def _partners(director, password):
    ministry, _created = Partner.objects.get_or_create(name=MINISTRY, defaults={"kind": "ministry"})
    region, _created = Partner.objects.get_or_create(
        name=REGION,
        defaults={"kind": "regional", "region": "west_kz", "email": "bko-edu@example.kz", "parent": ministry},
    )
    schools = []
    for district_name, names in DISTRICTS.items():
        district, _created = Partner.objects.get_or_create(
            name=district_name, defaults={"kind": "district", "region": "west_kz", "parent": region}
        )
        for name in names:
            kind = "college" if "колледж" in name else "school"
            school, _created = Partner.objects.get_or_create(
                name=name, defaults={"kind": kind, "region": "west_kz", "parent": district}
            )
            schools.append(school)
    by_name = {p.name: p for p in Partner.objects.filter(parent__isnull=False, region="west_kz")} | {REGION: region}
    reps = {}
    for i, partner in enumerate(by_name.values()):
        login = next((k for k, v in LOGINS.items() if v[2] == partner.name), f"bko{i + 1}")
        last, first = LOGINS.get(login, ("Өкіл", partner.name))[:2]
        existing = Representative.objects.filter(user__username=login).first()
        reps[partner.name] = (
            existing
            or representative_create(
                by=director,
                partner=partner,
                username=login,
                last_name=last,
                first_name=first,
                email=f"{login}@example.kz",
                password=password if login in LOGINS else None,
                position="Басшы",
            )
        ).user
    return region, schools, reps


def planning_chain(program, *, users, password):
    """Build the chain for the coming year (idempotent). Returns the course admitted on the region's letter."""
    today = timezone.localdate()
    year = coming_year(today)
    region, schools, reps = _partners(users["director"], password)
    if Plan.objects.filter(partner=region, year=year).exists():
        return None
    districts = list(Partner.objects.filter(parent=region).order_by("name"))
    User = get_user_model()
    # 001 §10: each teacher applies to their school; the head accepts.
    with _on(datetime.date(year - 1, 5, 12)):
        for i, (last, first, middle, born, female, position, subject) in enumerate(TEACHERS):
            school = schools[i // 2]
            iin = make_iin(born, 5100 + i * 7, female)
            applicant = User.objects.filter(username=f"t{iin}").first() or User.objects.create_user(
                username=f"t{iin}", last_name=last, first_name=first
            )
            application = chain.plan_application_submit(
                by=applicant,
                organisation=school,
                iin=iin,
                last_name=last,
                first_name=first,
                middle_name=middle,
                birth_date=born,
                position=position,
                subject=subject,
                language="kk" if female or i % 3 else "ru",
                topic="Педагогтің кәсіби өсуі",
            )
            chain.plan_application_decide(application, by=reps[school.name], accept=True, note="Келісемін")
    # 001 §11: the schools' plans by 1 June.
    sent_on = datetime.date(year - 1, 5, 28)
    with _on(sent_on):
        for school in schools:
            plan = chain.plan_create(by=reps[school.name], partner=school, year=year)
            chain.plan_build(plan, by=reps[school.name], perspective=f"{year}-{year + 2}: әр мұғалім үш жылда бір рет")
            chain.plan_submit(plan, by=reps[school.name])
            _sent_on(plan, sent_on)
    # 001 §12: the first department in time; the second late, accepted by the centre's decision.
    for district, day in zip(districts, (datetime.date(year - 1, 6, 26), datetime.date(year - 1, 7, 9)), strict=True):
        with _on(day):
            plan = chain.plan_create(by=reps[district.name], partner=district, year=year)
            chain.plan_build(plan, by=reps[district.name])
            if day > datetime.date(year - 1, 7, 1):
                chain.late_decision_record(
                    by=users["registrar"], plan=plan, reason="Бөлім басшысы демалыста болды; хат 08.07 келді"
                )
            chain.plan_submit(plan, by=reps[district.name])
            _sent_on(plan, day)
    # 001 §15: two budget-funded courses of the coming year agreed with the region.
    first_course = _demo_cohort(
        program,
        by=users["registrar"],
        code=f"DEMO-BKO-{year}-01",
        starts_on=_monday(datetime.date(year, 2, 1)),
        funding="state",
        trainer=users["trainer"],
        place="Аудитория 210",
    )
    second_course = _demo_cohort(
        program,
        by=users["registrar"],
        code=f"DEMO-BKO-{year}-02",
        starts_on=_monday(datetime.date(year, 4, 5)),
        funding="state",
        trainer=users["trainer"],
        place="Аудитория 210",
    )
    for course in (first_course, second_course):
        chain.schedule_agreement_record(
            course,
            by=users["registrar"],
            partner=region,
            places=6,
            agreed_by_name="Қайыржанова Ә., басшының орынбасары",
            agreed_on=datetime.date(year - 1, 10, 2),
            document=_pdf("agreement.pdf"),
        )
    # 001 §13: the region distributes its teachers over the two courses by 1 September.
    day = datetime.date(year - 1, 8, 27)
    with _on(day):
        plan = chain.plan_create(by=reps[region.name], partner=region, year=year)
        chain.plan_build(plan, by=reps[region.name])
        lines = list(plan.lines.order_by("row"))
        courses = {line.pk: (first_course if i < 5 else second_course) for i, line in enumerate(lines)}
        chain.plan_courses_assign(plan, by=reps[region.name], courses=courses)
        chain.plan_submit(plan, by=reps[region.name])
        _sent_on(plan, day)
    # 001 §§14, 16: the list for the first course two months before it, with the heads' referral orders.
    day = min(datetime.date(year - 1, 11, 24), today)
    with _on(day):
        item = chain.region_list_create(plan, by=reps[region.name], cohort=first_course, letter_number="01-17/2481")
        for school in schools[:3]:
            chain.referral_order_attach(
                item,
                by=reps[region.name],
                issued_by=school,
                number=f"{schools.index(school) + 12}-ж",
                issued_on=datetime.date(year - 1, 11, 20),
                file=_pdf("referral.pdf"),
            )
        request_submit(item, by=reps[region.name])
    TeacherRequest.objects.filter(pk=item.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))
    )
    # 001 §18: the region's letter is the basis of the director's order.
    order = chain.letter_admit(
        item,
        by=users["registrar"],
        number="41-Қ",
        issued_on=today,
        responsible="Ли М. — регистратор; Есенов Б. — тренер",
    )
    admission_order_sign(order, by=users["director"])
    return first_course


def _monday(day):
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)
