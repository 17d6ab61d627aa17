"""The benches' cohorts: an approved program of one-topic modules, a cohort, one session of 8 hours and its
listeners, all marked present (call inside a transaction, with Django set up)."""

import datetime
from decimal import Decimal


def attended_cohort(*, code, titles, modules, starts_on, ends_on, listeners, people, iin_base, marked_by, **extra):
    """(program, cohort, enrolments). ``modules``: their positions; ``people``: (username prefix, last name,
    first name prefix) of the listeners; ``extra``: more fields of the cohort."""
    from django.contrib.auth import get_user_model

    from enrolment.enums import AttendanceStatus
    from enrolment.models import Attendance, Cohort, Enrolment, Listener, Session
    from programs.enums import ProgramStatus
    from programs.models import Module, Program, ProgramVersion, Topic

    title_kk, title_ru = titles
    prog = Program.objects.create(title_kk=title_kk, title_ru=title_ru)
    version = ProgramVersion.objects.create(program=prog, number=1, frozen=True)
    for pos in modules:
        module = Module.objects.create(
            version=version, position=pos, title_kk=f"{pos}-модуль", title_ru=f"Модуль {pos}"
        )
        Topic.objects.create(module=module, position=1, code=f"{pos}.1", title_ru=f"Тема {pos}.1", lecture=4)
    prog.current_version = prog.approved_version = version
    prog.status, prog.approved_on = ProgramStatus.APPROVED, starts_on - datetime.timedelta(days=60)
    prog.save()
    cohort = Cohort.objects.create(
        program=prog, version=version, code=code, starts_on=starts_on, ends_on=ends_on, capacity=listeners, **extra
    )
    session = Session.objects.create(
        cohort=cohort, date=starts_on, starts_at=datetime.time(9), ends_at=datetime.time(13), hours=Decimal(8)
    )
    User = get_user_model()
    prefix, last_name, first_name = people
    users = []
    for n in range(listeners):
        user = User(username=f"{prefix}-{n:03d}", last_name=last_name, first_name=f"{first_name} {n:03d}")
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    found = Listener.objects.bulk_create(Listener(user=u, iin=str(iin_base + n)) for n, u in enumerate(users))
    enrolments = Enrolment.objects.bulk_create(Enrolment(cohort=cohort, listener=li) for li in found)
    Attendance.objects.bulk_create(
        Attendance(session=session, enrolment=e, status=AttendanceStatus.PRESENT, marked_by=marked_by)
        for e in enrolments
    )
    return prog, cohort, enrolments
