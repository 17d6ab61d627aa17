"""Demo programs: the real 40-hour program of seed 004, entered through the services."""

from decimal import Decimal

from . import demo_004
from .enums import HOUR_FIELDS, FormOfStudy, Language
from .models import Module, Program, Topic
from .services import program_approve, program_create


def program_004(*, by):
    """The 004 program, approved (idempotent: returns the existing one)."""
    existing = Program.objects.filter(title_ru=demo_004.TITLE_RU).first()
    if existing:
        return existing
    program = program_create(
        by=by,
        title_kk=demo_004.TITLE_KK,
        title_ru=demo_004.TITLE_RU,
        form_of_study=FormOfStudy.WITHOUT_LEAVING_WORK,
        language=Language.KK_RU,
    )
    version = program.current_version
    for position, data in enumerate(demo_004.MODULES, start=1):
        module = Module.objects.create(
            version=version,
            position=position,
            title_kk=data["title_kk"],
            title_ru=data["title_ru"],
            is_final_assessment=data["final"],
        )
        Topic.objects.bulk_create(
            Topic(
                module=module,
                position=i,
                code=code,
                title_ru=title,
                **{f: Decimal(h) for f, h in zip(HOUR_FIELDS, hours, strict=True)},
            )
            for i, (code, title, *hours) in enumerate(data["topics"], start=1)
        )
    return program_approve(program, by=by, order_number="12-П")
