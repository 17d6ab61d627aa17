"""Demo listeners with valid IINs."""

import datetime
from decimal import Decimal

from django.utils import timezone

from enrolment.iin import make_iin
from enrolment.models import Listener
from enrolment.services.core import listener_create
from monitoring.demo.days import course_days

LISTENERS = [
    ("Әбенова", "Айгерім", "Серікқызы", True),
    ("Жұмабаев", "Нұрлан", "Ерланұлы", False),
    ("Иванова", "Ольга", "Петровна", True),
    ("Қасымова", "Гүлнұр", "Маратқызы", True),
    ("Серікбаев", "Дәурен", "Асқарұлы", False),
    ("Ким", "Елена", "Викторовна", True),
    ("Оспанова", "Мәдина", "Бауыржанқызы", True),
    ("Төлеуов", "Ержан", "Қайратұлы", False),
    ("Петров", "Сергей", "Николаевич", False),
    ("Нұрланова", "Әсем", "Данияровна", True),
    ("Байжанов", "Ғалым", "Өмірзақұлы", False),
    ("Смағұлова", "Жанар", "Ханатқызы", True),
]


def listeners(*, by, password):
    result = []
    for i, (last, first, middle, female) in enumerate(LISTENERS):
        born = datetime.date(1975 + i * 2, (i % 12) + 1, 10 + i)
        iin = make_iin(born, 1000 + i * 7, female)
        listener = Listener.objects.filter(iin=iin).first() or listener_create(
            by=by,
            last_name=last,
            first_name=first,
            middle_name=middle,
            iin=iin,
            birth_date=born,
            email=f"listener{i + 1}@example.kz",
            phone=f"+7 701 555 {i:04d}",
            workplace="№ 7 мектеп-гимназиясы / Школа-гимназия № 7",
            position="Мұғалім / Учитель",
            password=password,
        )
        result.append(listener)
    return result


# ----------------------------------------------------------------------------- the two paths to a course

SCHOOL = "КГУ «Общеобразовательная школа № 45» акимата г. Астаны"
TEACHERS = [
    ("Дүйсенова", "Ләззат", "Нұрланқызы", datetime.date(1988, 3, 14), True, "Учитель математики"),
    ("Ахметов", "Серік", "Болатұлы", datetime.date(1979, 11, 2), False, "Учитель физики"),
    ("Ли", "Наталья", "Игоревна", datetime.date(1991, 6, 25), True, "Учитель информатики"),
]
APPLICANT = ("Жақсыбекова", "Меруерт", "Асанқызы", datetime.date(1986, 9, 8), True)


def _pdf(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n% demo scan\n1 0 obj << >> endobj\n%%EOF\n")


def _demo_cohort(program, *, by, code, starts_on, funding, price=None, trainer=None, place=""):
    from enrolment.models import Cohort, Session
    from enrolment.services.schedule import cohort_create, cohort_publish

    cohort = Cohort.objects.filter(code=code).first()
    if cohort:
        return cohort
    days = course_days(starts_on)
    cohort = cohort_create(
        by=by,
        program=program,
        code=code,
        starts_on=days[0],
        ends_on=days[-1],
        language="kk_ru",
        funding=funding,
        capacity=25,
        price=price,
    )
    topics = [t for m in program.approved_version.modules.all() for t in m.topics.all()]
    for i in range(10):
        Session.objects.create(
            cohort=cohort,
            date=days[i // 2],
            starts_at=datetime.time(9 if i % 2 == 0 else 14, 0),
            ends_at=datetime.time(12 if i % 2 == 0 else 17, 0),
            topic=topics[(i * 2) % len(topics)],
            hours=Decimal("4"),
            trainer=trainer,
            place=place,
        )
    return cohort_publish(cohort, by=by) or cohort


def request_path(program, *, registrar, director, password):
    """A school's request: three teachers listed, accepted, enrolled by a signed order; one contract accepted."""
    from enrolment.models import Partner, Representative, TeacherRequest
    from enrolment.services.admission import admission_order_create, admission_order_sign, contract_accept
    from enrolment.services.requests import (
        representative_create,
        request_accept,
        request_create,
        request_submit,
        request_teacher_add,
    )

    today = timezone.localdate()
    cohort = _demo_cohort(
        program,
        by=registrar,
        code="DEMO-004-02",
        starts_on=today + datetime.timedelta(days=21 - today.weekday()),
        funding="state",
        place="Аудитория 305",
    )
    if TeacherRequest.objects.filter(cohort=cohort).exists():
        return cohort
    partner, _created = Partner.objects.get_or_create(
        name=SCHOOL, defaults={"kind": "school", "region": "astana", "email": "school45@example.kz"}
    )
    representative = Representative.objects.filter(user__username="school").first()
    if representative is None:
        representative = representative_create(
            by=director,
            partner=partner,
            username="school",
            last_name="Омарова",
            first_name="Айнұр",
            email="school45@example.kz",
            password=password,
            position="Заместитель директора",
        )
    user = representative.user
    request = request_create(by=user, cohort=cohort, letter_number="45-02/118")
    for i, (last, first, middle, born, female, position) in enumerate(TEACHERS):
        request_teacher_add(
            request,
            by=user,
            iin=make_iin(born, 4500 + i * 3, female),
            last_name=last,
            first_name=first,
            middle_name=middle,
            birth_date=born,
            position=position,
            email=f"teacher{i + 1}@example.kz",
        )
    request_submit(request, by=user)
    request_accept(request, by=registrar)
    order = admission_order_create(
        cohort,
        by=registrar,
        number="34-Қ",
        issued_on=today,
        responsible="Ли М. — регистратор; Есенов Б. — тренер",
    )
    admission_order_sign(order, by=director)
    first = request.teachers.select_related("listener__user").order_by("row").first().listener
    first.user.set_password(password)
    first.user.save(update_fields=["password"])
    contract = first.enrolments.get(cohort=cohort).contract
    contract_accept(contract, by=first.user, shown_sha256=contract.text_sha256, ip="127.0.0.1")
    return cohort


def application_path(program, *, registrar, director, accountant, password):
    """A teacher applies for a paid course, is admitted, pays the invoice and accepts the contract."""
    from enrolment.models import Application
    from enrolment.services.admission import admission_order_create, admission_order_sign, contract_accept
    from enrolment.services.applications import (
        application_admit,
        application_save,
        application_start,
        application_submit,
        listener_register,
    )
    from enrolment.services.payments import payment_record

    today = timezone.localdate()
    cohort = _demo_cohort(
        program,
        by=registrar,
        code="DEMO-004-03",
        starts_on=today + datetime.timedelta(days=35 - today.weekday()),
        funding="own",
        price=Decimal("45000"),
        place="https://meet.example.kz/ziat-004",
    )
    if Application.objects.filter(cohort=cohort).exists():
        return cohort
    last, first, middle, born, female = APPLICANT
    iin = make_iin(born, 8600, female)
    listener = Listener.objects.filter(iin=iin).first() or listener_register(
        iin=iin,
        birth_date=born,
        sex="f" if female else "m",
        last_name=last,
        first_name=first,
        middle_name=middle,
        email="meruert@example.kz",
        password=password,
    )
    application = application_start(cohort=cohort, listener=listener, by=listener.user)
    application_save(
        application,
        by=listener.user,
        language="ru",
        funding="own",
        email="meruert@example.kz",
        documents={"id_copy": _pdf("udostoverenie.pdf"), "diploma": _pdf("diplom.pdf")},
        position="Учитель биологии",
        education="Высшее, ЕНУ им. Л. Н. Гумилёва, 2008",
        category="педагог-эксперт",
        category_valid_until=datetime.date(2028, 5, 31),
        workplace="Школа-лицей № 8, г. Астана",
        region="astana",
        experience_total=17,
        experience_teaching=15,
        address="г. Астана, ул. Кенесары, 40",
        phone="+7 701 222 3344",
        additional="",
    )
    application_submit(application, by=listener.user)
    enrolment = application_admit(application, by=registrar)
    contract = enrolment.contract
    payment_record(
        contract.invoice,
        by=accountant,
        number="ПП-5531",
        paid_on=today,
        amount=contract.invoice.amount,
        payer=listener.full_name,
    )
    contract_accept(contract, by=listener.user, shown_sha256=contract.text_sha256, ip="127.0.0.1")
    order = admission_order_create(
        cohort, by=registrar, number="35-Қ", issued_on=today, responsible="Ли М. — регистратор"
    )
    admission_order_sign(order, by=director)
    return cohort
