"""A region with two districts and their schools, each with a representative, for the planning chain's tests."""

import datetime
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from enrolment.enums import Funding
from enrolment.iin import make_iin
from enrolment.models import Partner, Representative
from tests.factories import UserFactory, cohort

_serial = itertools.count(6100)
PDF = b"%PDF-1.4\n% a scan\n%%EOF\n"

# "Today" in the tests: before the schools' deadline of 1 June 2027 for the plans of 2028.
TODAY = datetime.date(2027, 5, 20)
YEAR = 2028


def scan(name="order.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def representative(partner, name=None):
    user = UserFactory(
        last_name=name or f"Өкіл {partner.name}", first_name="Бақыт", email=f"rep{partner.pk}@example.kz"
    )
    Representative.objects.create(user=user, partner=partner)
    return user


def hierarchy(tag=""):
    """A region, two districts, a school in each (and a second school in the first): every one represented."""
    region = Partner.objects.create(name=f"Облыс білім басқармасы{tag}", kind="regional", region="west_kz")
    north = Partner.objects.create(name=f"Солтүстік аудан{tag}", kind="district", parent=region)
    south = Partner.objects.create(name=f"Оңтүстік аудан{tag}", kind="district", parent=region)
    school = Partner.objects.create(name=f"№ 1 мектеп{tag}", kind="school", parent=north)
    school2 = Partner.objects.create(name=f"№ 2 мектеп{tag}", kind="school", parent=north)
    other = Partner.objects.create(name=f"№ 3 мектеп{tag}", kind="school", parent=south)
    world = {"region": region, "north": north, "south": south, "school": school, "school2": school2, "other": other}
    reps = {f"{key}_rep": representative(partner) for key, partner in world.items()}
    return world | reps


def teacher_values(born=None, **kwargs):
    born = born or datetime.date(1986, 3, 1) + datetime.timedelta(days=next(_serial) % 3000)
    values = {
        "iin": make_iin(born, next(_serial) % 9000),
        "last_name": "Мұғалімова",
        "first_name": "Гүлнар",
        "middle_name": "",
        "birth_date": born,
        "position": "Мұғалім",
        "subject": "Математика",
        "language": "kk",
        "topic": "Педагогтің кәсіби өсуі",
    }
    return values | kwargs


def state_course(year=YEAR, month=3, **kwargs):
    starts = datetime.date(year, month, 2)
    defaults = {
        "funding": Funding.STATE,
        "starts_on": starts,
        "ends_on": starts + datetime.timedelta(days=4),
        "capacity": 25,
        "is_published": True,
    }
    return cohort(**(defaults | kwargs))
