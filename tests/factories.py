"""Factories for tests: real rows in PostgreSQL, built through the services where a rule applies."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from enrolment.iin import make_iin
from enrolment.models import Cohort, Enrolment, Listener, Session
from programs.enums import ComplexPart, ProgramStatus
from programs.models import ComplexItem, Module, Program, ProgramVersion, Topic
from ziat.models import Organisation

_serial = itertools.count(100)
HOUR_NAMES = ["lecture", "self_study", "question_answer", "case", "independent"]


# Every user the factories make has this password.
PASSWORD = "pass-12345"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "Тестов"
    first_name = "Тест"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def staff_user(role, **kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


def organisation(**kwargs):
    defaults = {
        "name_kk": "«ZIAT» ғылыми-әдістемелік орталығы",
        "name_ru": "Научно-методический центр «ZIAT»",
        "head_name": "С. Мұратова",
        "registration_prefix": "ZIAT",
    }
    defaults.update(kwargs)
    return Organisation.objects.create(**defaults)


def listener(**kwargs):
    """A listener whose cabinet password is ``PASSWORD``."""
    born = kwargs.pop("born", datetime.date(1985, 4, 12))
    # The IIN's serial part has four digits: the shared counter wraps round (a test makes a few listeners).
    iin = kwargs.pop("iin", None) or make_iin(born, next(_serial) * 3 % 9000)
    user = UserFactory(
        username=iin,
        last_name=kwargs.pop("last_name", "Сәрсенова"),
        first_name=kwargs.pop("first_name", "Әйгерім"),
        email=kwargs.pop("email", "aigerim@example.kz"),
    )
    return Listener.objects.create(
        user=user, iin=iin, birth_date=born, phone=kwargs.pop("phone", "+7 701 111 2233"), **kwargs
    )


DEFAULT_MODULES = (
    (("1.1", 2, 1, 0, 0, 1),),
    (("2.1", 4, 0, 2, 0, 0),),
)


def program(*, modules=DEFAULT_MODULES, final=None, approved=True, by=None, **kwargs):
    """A program with a plan; each module is a tuple of topics (code, lecture, self, qa, case, independent).

    ``final`` is an optional tuple of final-assessment rows in the same form. With the defaults the plan
    has two modules and 10 academic hours.
    """
    prog = Program.objects.create(
        title_kk=kwargs.get("title_kk", "Педагогтің кәсіби өсуі"),
        title_ru=kwargs.get("title_ru", "Профессиональный рост педагога"),
    )
    version = ProgramVersion.objects.create(program=prog, number=1)
    prog.current_version = version
    prog.save(update_fields=["current_version"])
    blocks = [(topics, False) for topics in modules] + ([(final, True)] if final else [])
    for m_pos, (topics, is_final) in enumerate(blocks, start=1):
        module = Module.objects.create(
            version=version,
            position=m_pos,
            title_kk=f"{m_pos}-модуль",
            title_ru=f"Модуль {m_pos}",
            is_final_assessment=is_final,
        )
        for t_pos, (code, *hours) in enumerate(topics, start=1):
            Topic.objects.create(
                module=module,
                position=t_pos,
                code=code,
                title_ru=f"Тема {code}",
                **dict(zip(HOUR_NAMES, map(Decimal, hours), strict=True)),
            )
    if approved:
        # The approved state as the workflow leaves it (the workflow itself is tested in tests/programs).
        version.frozen, version.frozen_at = True, timezone.now()
        version.save(update_fields=["frozen", "frozen_at"])
        prog.status, prog.approved_version = ProgramStatus.APPROVED, version
        prog.approved_on, prog.approval_order_number = timezone.localdate(), "1-П"
        prog.save(update_fields=["status", "approved_version", "approved_on", "approval_order_number"])
        # A complete methodical complex (000 §2.11): the program is ready to teach.
        author = by or UserFactory()
        ComplexItem.objects.bulk_create(
            ComplexItem(
                program=prog, part=part, title=str(part.label), url="https://kurs.example.kz/m", added_by=author
            )
            for part in ComplexPart
        )
    return prog


def cohort(prog=None, **kwargs):
    prog = prog or program()
    defaults = {
        "code": f"C-{next(_serial)}",
        "starts_on": datetime.date(2026, 3, 2),
        "ends_on": datetime.date(2026, 3, 6),
        "test_max_score": 25,
        "test_pass_score": 17,
    }
    defaults.update(kwargs)
    return Cohort.objects.create(program=prog, version=prog.approved_version, **defaults)


def sessions(cohort_, hours):
    """Sessions of the given academic hours on consecutive days."""
    return [
        Session.objects.create(
            cohort=cohort_,
            date=cohort_.starts_on + datetime.timedelta(days=i),
            starts_at=datetime.time(9),
            ends_at=datetime.time(13),
            hours=Decimal(h),
        )
        for i, h in enumerate(hours)
    ]


def teach(cohort_, user):
    """Make ``user`` the trainer of the cohort's first session (a trainer reaches only the cohorts they teach)."""
    first = cohort_.sessions.order_by("date", "starts_at").first()
    if first is None:
        sessions(cohort_, (1,))
        first = cohort_.sessions.get()
    Session.objects.filter(pk=first.pk).update(trainer=user)
    return user


def enrolment(cohort_=None, listener_=None):
    return Enrolment.objects.create(cohort=cohort_ or cohort(), listener=listener_ or listener())


def page_queries(client, url):
    """The number of queries a GET of ``url`` makes (the page must answer 200), with the organisation already in
    the cache, as on a running site."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Organisation.current()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# A 40-hour plan for drafts that go through the workflow: (code, lecture, self, qa, case, independent).
RELEASE_MODULES = (
    (("1.1", 6, 2, 2, 0, 2), ("1.2", 4, 1, 1, 1, 1)),
    (("2.1", 6, 2, 2, 1, 3), ("2.2", 4, 1, 1, 0, 0)),
)


def draft_program(*, by=None, modules=RELEASE_MODULES, **kwargs):
    """A whole draft made through ``program_create``: all sections in Russian and a 40-hour plan."""
    from programs.models import VersionText
    from programs.services.workflow import program_create

    by = by or staff_user("methodist")
    prog = program_create(
        by=by,
        title_kk=kwargs.pop("title_kk", "Педагогтің цифрлық құзыреттілігі"),
        title_ru=kwargs.pop("title_ru", "Цифровая компетентность педагога"),
        **kwargs,
    )
    version = prog.current_version
    VersionText.objects.create(
        version=version,
        language="ru",
        general_provisions="Программа разработана в соответствии с законодательством.",
        glossary=[["Компетенция", "Способность применять знания на практике."]],
        subject="Цифровые инструменты в работе педагога.",
        goal="Развитие цифровой компетентности педагогов.",
        objectives=["Освоить инструменты", "Применить их на уроке"],
        expected_results=["Слушатели применяют цифровые инструменты."],
        structure="Программа состоит из двух модулей.",
        organisation="Обучение очное и дистанционное.",
        methodical_support="Учебные пособия и презентации.",
        assessment="Итоговое тестирование.",
        postcourse="Сопровождение в течение года.",
        literature_main=["Закон Республики Казахстан «Об образовании»."],
        literature_additional=["Методические рекомендации, 2024."],
    )
    for m_pos, topics in enumerate(modules, start=1):
        module = Module.objects.create(version=version, position=m_pos, title_ru=f"Модуль {m_pos}")
        for t_pos, (code, *hours) in enumerate(topics, start=1):
            Topic.objects.create(
                module=module,
                position=t_pos,
                code=code,
                title_ru=f"Тема {code}",
                **dict(zip(HOUR_NAMES, map(Decimal, hours), strict=True)),
            )
    return prog


def export_download(client, url):
    """The file of an export: a POST to its address starts a job (run at once in the tests), then the job's file
    is fetched."""
    from django.http import HttpResponse
    from django.urls import resolve, reverse

    started = client.post(url)
    assert started.status_code == 302, started.status_code
    match = resolve(started.url)
    assert match.url_name == "job", started.url
    page = client.get(started.url)
    assert reverse("job_file", args=match.args, kwargs=match.kwargs) in page.content.decode()
    response = client.get(reverse("job_file", args=match.args, kwargs=match.kwargs))
    if response.status_code != 200:
        return response
    content = b"".join(response.streaming_content)  # read whole, the test client closes the file
    copy = HttpResponse(content, content_type=response["Content-Type"])
    copy["Content-Disposition"] = response["Content-Disposition"]
    return copy


def write_statements(captured):
    """The statements of a ``CaptureQueriesContext`` that change rows (INSERT, UPDATE, DELETE, MERGE)."""
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().split(" ", 1)[0].upper() in WRITE_VERBS]


WRITE_VERBS = {"INSERT", "UPDATE", "DELETE", "MERGE"}


def many_listeners(count, **kwargs):
    """``count`` listeners made in a few queries (for the lists' query-count tests with many rows)."""
    born = datetime.date(1990, 1, 15)  # not the default birth date of ``listener``: the IINs never meet
    iins = [make_iin(born, next(_serial) * 7 % 9000) for _ in range(count)]
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{iin}-{next(_serial)}", last_name=f"Тізім{n}", first_name="Тыңдаушы")
        for n, iin in enumerate(iins)
    )
    return Listener.objects.bulk_create(
        Listener(user=user, iin=iin, birth_date=born, **kwargs) for user, iin in zip(users, iins, strict=True)
    )


def many_cohorts(prog, count, *, enrolled=True, **kwargs):
    """``count`` cohorts of ``prog`` (each with one enrolled listener unless ``enrolled`` is false), in a few
    queries."""
    defaults = {
        "starts_on": datetime.date(2026, 3, 2),
        "ends_on": datetime.date(2026, 3, 6),
        "test_max_score": 25,
        "test_pass_score": 17,
    }
    defaults.update(kwargs)
    cohorts = Cohort.objects.bulk_create(
        Cohort(program=prog, version=prog.approved_version, code=f"M-{next(_serial)}", **defaults) for _ in range(count)
    )
    if enrolled:
        people = many_listeners(count)
        Enrolment.objects.bulk_create(Enrolment(cohort=c, listener=p) for c, p in zip(cohorts, people, strict=True))
    return cohorts


def pdf_response(client, url):
    """The document at ``url`` as a browser gets it: a page that asks for a document not asked for yet (its form,
    sent by its script at once) is answered by that POST, then the address is read again."""
    response = client.get(url)
    if response.status_code == 202 and b"data-auto-submit" in response.content:
        client.post(url)
        response = client.get(url)
    return response
