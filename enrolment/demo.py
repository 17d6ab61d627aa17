"""Demo listeners with valid IINs."""

import datetime

from .iin import iin_check_digit
from .models import Listener
from .services import listener_create


def make_iin(born, serial, female=False):
    """A valid IIN for a date of birth; ``serial`` is moved on until the check digit is not 10."""
    century = {18: 1, 19: 3, 20: 5}[born.year // 100] + (1 if female else 0)
    while True:
        first11 = f"{born:%y%m%d}{century}{serial:04d}"
        check = iin_check_digit(first11)
        if check != 10:
            return first11 + str(check)
        serial += 1


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
