"""Demo programs, entered and driven through the real workflow services with past dates.

Three programs show the lifecycle of 000 §2.6-2.12:

- the real 40-hour program of seed 004, discussed, agreed by the state body and approved;
- a 36-hour program published for public discussion today (its discussion page is open);
- a 72-hour program the state body returned for rework with remarks (a new editable version exists).

Every function is idempotent: a program found by its Russian title is returned as it is.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from monitoring.demo import program_004 as demo_004
from programs.enums import HOUR_FIELDS, CommentStatus, ComplexPart, Conclusion, FormOfStudy, Language, SectionLanguage
from programs.models import DiscussionComment, Module, Program, StateRemark, Topic, VersionText
from programs.services.discussion import comment_decide
from programs.services.workflow import (
    complex_item_add,
    discussion_summarise,
    program_approve,
    program_create,
    program_publish_for_discussion,
    program_submit,
    remark_answer,
    submission_conclude,
)
from ziat.calendar import add_working_days

DEMO_CLIENT = "demo"


def _lines(*paragraphs):
    return "\n".join(paragraphs)


def _enter_plan(version, modules):
    """Modules as dicts (title_kk/ru, content_kk/ru, final, topics of (code, title_kk, title_ru, *hours))."""
    for position, data in enumerate(modules, start=1):
        module = Module.objects.create(
            version=version,
            position=position,
            title_kk=data["title_kk"],
            title_ru=data["title_ru"],
            content_kk=data.get("content_kk", ""),
            content_ru=data.get("content_ru", ""),
            is_final_assessment=data["final"],
        )
        Topic.objects.bulk_create(
            Topic(
                module=module,
                position=i,
                code=code,
                title_kk=title_kk,
                title_ru=title_ru,
                **{f: Decimal(h) for f, h in zip(HOUR_FIELDS, hours, strict=True)},
            )
            for i, (code, title_kk, title_ru, *hours) in enumerate(data["topics"], start=1)
        )


def _enter_texts(version, texts):
    for language, fields in texts.items():
        VersionText.objects.create(version=version, language=language, **fields)


def _comment(discussion, *, name, organisation, text, at):
    comment = DiscussionComment.objects.create(
        discussion=discussion, name=name, organisation=organisation, text=text, client_hash=DEMO_CLIENT
    )
    DiscussionComment.objects.filter(pk=comment.pk).update(created_at=at)
    return comment


def _moment(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _after_discussion(discussion):
    """The first working day after the discussion closed: the earliest day to send the draft out."""
    return add_working_days(discussion.ends_on, 1)


# --------------------------------------------------------------------------- the 004 program, approved


def _texts_004():
    return {
        SectionLanguage.RU: {
            "general_provisions": demo_004.GENERAL_PROVISIONS_RU,
            "glossary": [list(pair) for pair in demo_004.GLOSSARY_RU],
            "subject": demo_004.SUBJECT_RU,
            "goal": demo_004.GOAL_RU,
            "objectives": list(demo_004.OBJECTIVES_RU),
            "expected_results": list(demo_004.EXPECTED_RESULTS_RU),
            "structure": demo_004.STRUCTURE_RU,
            "organisation": demo_004.ORGANISATION_RU,
            "methodical_support": demo_004.METHODICAL_SUPPORT_RU,
            "assessment": demo_004.ASSESSMENT_RU,
            "postcourse": demo_004.POSTCOURSE_RU,
            "literature_main": list(demo_004.LITERATURE_MAIN_RU),
            "literature_additional": list(demo_004.LITERATURE_ADDITIONAL_RU),
        }
    }


def _modules_004():
    return [
        {
            "title_kk": data["title_kk"],
            "title_ru": data["title_ru"],
            "content_ru": content,
            "final": data["final"],
            "topics": [(code, demo_004.TOPICS_KK[title], title, *hours) for code, title, *hours in data["topics"]],
        }
        for data, content in zip(demo_004.MODULES, demo_004.MODULE_CONTENTS_RU, strict=True)
    ]


def program_004(*, by_methodist, by_director):
    """The 004 program, approved by order No. 12-П after its discussion and the state body's agreement."""
    existing = Program.objects.filter(title_ru=demo_004.TITLE_RU).first()
    if existing:
        return existing
    program = program_create(
        by=by_methodist,
        title_kk=demo_004.TITLE_KK,
        title_ru=demo_004.TITLE_RU,
        form_of_study=FormOfStudy.WITHOUT_LEAVING_WORK,
        language=Language.KK_RU,
        authors="Ахметова Д.",
    )
    _enter_texts(program.current_version, _texts_004())
    _enter_plan(program.current_version, _modules_004())

    published_on = timezone.localdate() - datetime.timedelta(days=150)
    discussion = program_publish_for_discussion(program, by=by_methodist, on=published_on)
    first = _comment(
        discussion,
        name="Жұмабаева Гүлнар",
        organisation="ЖББМ № 45, Алматы",
        text="Предлагаю добавить в модуль 4 практическое занятие по ведению электронного портфолио на платформе.",
        at=_moment(published_on + datetime.timedelta(days=2), 10),
    )
    _comment(
        discussion,
        name="Серікбаев Ерлан",
        organisation="Гимназия № 12, Шымкент",
        text="Список литературы стоит дополнить источниками на казахском языке.",
        at=_moment(published_on + datetime.timedelta(days=5), 16),
    )
    _comment(
        discussion,
        name="Иванова Ольга",
        organisation="",
        text="Программа актуальна, особенно раздел об авторских методических разработках.",
        at=_moment(published_on + datetime.timedelta(days=7), 12),
    )
    comment_decide(
        first,
        by=by_methodist,
        status=CommentStatus.ACCEPTED,
        reason="Практикум СРС № 1 модуля 4 посвящён подготовке индивидуальных материалов, в том числе портфолио.",
        reply="Спасибо! Работа с электронным портфолио включена в самостоятельную работу модуля 4 (СРС № 1).",
    )
    DiscussionComment.objects.filter(pk=first.pk).update(replied_at=_moment(discussion.ends_on, 11))
    discussion_summarise(
        discussion,
        by=by_methodist,
        summary="Поступило 3 комментария; предложение о портфолио учтено в СРС № 1, остальные приняты к сведению.",
    )

    submitted_on = _after_discussion(discussion)
    submission = program_submit(program, by=by_methodist, letter_number="01-15/214", on=submitted_on)
    concluded_on = add_working_days(submitted_on, 15)
    submission_conclude(submission, by=by_methodist, conclusion=Conclusion.AGREED, on=concluded_on, number="6-12/1187")
    program = program_approve(program, by=by_director, order_number="12-П", on=add_working_days(concluded_on, 2))
    for part, title in COMPLEX_004:
        complex_item_add(program, by=by_methodist, part=part, title=title, url=f"https://kurs.example.kz/004/{part}/")
    return program


# The educational-methodical complex of 004 (000 §2.11), as links to the centre's learning platform.
COMPLEX_004 = [
    (ComplexPart.TEXTBOOKS, "Учебное пособие «Профессиональный рост педагога»"),
    (ComplexPart.DIDACTIC, "Раздаточные материалы и кейсы модулей 1-6"),
    (ComplexPart.METHODICAL, "Методические рекомендации для тренеров курса"),
    (ComplexPart.TEST_BANK, "Банк тестовых заданий: 25 вопросов итогового тестирования"),
    (ComplexPart.PORTFOLIO, "Портфолио слушателя: шаблон и критерии проектной работы"),
]


# --------------------------------------------------------------------------- a program in public discussion

INCLUSION_RU = "Инклюзивное образование: создание условий для обучающихся с особыми образовательными потребностями"
INCLUSION_KK = "Инклюзивті білім беру: ерекше білім беру қажеттіліктері бар білім алушыларға жағдай жасау"

INCLUSION_MODULES = [
    {
        "title_kk": "Инклюзивті білім берудің нормативтік және тұжырымдамалық негіздері",
        "title_ru": "Нормативные и концептуальные основы инклюзивного образования",
        "content_kk": "Модуль инклюзивті білім беруді реттейтін заңнаманы және ерекше білім беру "
        "қажеттіліктерін бағалау тәсілдерін қарастырады.",
        "content_ru": "Модуль знакомит с законодательством об инклюзивном образовании и с подходами к оценке "
        "особых образовательных потребностей.",
        "final": False,
        "topics": [
            (
                "1.1",
                "Инклюзивті білім берудің құқықтық негіздері",
                "Правовые основы инклюзивного образования",
                2,
                1,
                1,
                0,
                0,
            ),
            (
                "1.2",
                "Ерекше білім беру қажеттіліктерін анықтау",
                "Выявление особых образовательных потребностей",
                2,
                1,
                0,
                1,
                0,
            ),
        ],
    },
    {
        "title_kk": "Психологиялық-педагогикалық сүйемелдеу",
        "title_ru": "Психолого-педагогическое сопровождение",
        "content_kk": "Модуль мектептегі психологиялық-педагогикалық қолдау қызметінің жұмысын, педагогтің "
        "мамандармен және ата-аналармен өзара әрекетін ашады.",
        "content_ru": "Модуль раскрывает работу службы психолого-педагогического сопровождения в школе и "
        "взаимодействие педагога со специалистами и родителями.",
        "final": False,
        "topics": [
            (
                "2.1",
                "Психологиялық-педагогикалық қолдау қызметі",
                "Служба психолого-педагогического сопровождения",
                2,
                1,
                1,
                0,
                0,
            ),
            (
                "2.2",
                "Ата-аналармен және мамандармен өзара әрекет",
                "Взаимодействие с родителями и специалистами",
                2,
                0,
                1,
                1,
                0,
            ),
            (
                "СӨЖ № 1",
                "Білім алушының жеке даму картасын құру",
                "Составление карты развития обучающегося",
                0,
                0,
                0,
                0,
                2,
            ),
        ],
    },
    {
        "title_kk": "Оқу бағдарламаларын және бағалауды бейімдеу",
        "title_ru": "Адаптация учебных программ и оценивания",
        "content_kk": "Модуль оқу бағдарламасын, тапсырмаларды және бағалау критерийлерін білім алушының "
        "мүмкіндіктеріне бейімдеуге үйретеді.",
        "content_ru": "Модуль учит адаптировать учебную программу, задания и критерии оценивания к "
        "возможностям обучающегося.",
        "final": False,
        "topics": [
            ("3.1", "Жеке оқу жоспарын әзірлеу", "Разработка индивидуального учебного плана", 2, 1, 0, 1, 0),
            ("3.2", "Тапсырмаларды саралау және бейімдеу", "Дифференциация и адаптация заданий", 2, 1, 1, 0, 0),
            ("3.3", "Бейімделген бағалау", "Адаптированное оценивание", 1, 0, 1, 1, 0),
            ("СӨЖ № 2", "Бейімделген сабақ жоспары", "Адаптированный план урока", 0, 0, 0, 0, 2),
        ],
    },
    {
        "title_kk": "Қорытынды бағалау",
        "title_ru": "Итоговое оценивание",
        "content_kk": "Қорытынды бағалау жобалық жұмысты қорғаудан және тестілеуден тұрады.",
        "content_ru": "Итоговое оценивание состоит из защиты проектной работы и тестирования.",
        "final": True,
        "topics": [
            ("", "Жобалық жұмыс", "Проектная работа", 0, 0, 0, 0, 3),
            ("", "Тестілеу", "Тестирование", 0, 0, 0, 0, 2),
        ],
    },
]

INCLUSION_TEXTS = {
    SectionLanguage.KK: {
        "general_provisions": _lines(
            "Бағдарлама жалпы білім беретін мектептердің педагогтеріне арналған және инклюзивті ортада жұмыс "
            "істеуге қажетті құзыреттерді дамытуға бағытталған.",
            "Бағдарлама «Білім туралы» Қазақстан Республикасының Заңы мен инклюзивті білім беру жөніндегі "
            "нормативтік құқықтық актілер негізінде әзірленді.",
        ),
        "glossary": [
            [
                "Инклюзивті білім беру",
                "ерекше білім беру қажеттіліктерін ескере отырып, барлық білім алушылар "
                "үшін білім алуға тең қолжетімділікті қамтамасыз ету процесі",
            ],
            [
                "Ерекше білім беру қажеттіліктері",
                "білім алушының оқу кезінде қосымша қолдауды қажет ететін қажеттіліктері",
            ],
        ],
        "subject": "Инклюзивті ортада оқыту мен бағалауды ұйымдастыру.",
        "goal": "Педагогтердің ерекше білім беру қажеттіліктері бар білім алушыларды оқытуға даярлығын арттыру.",
        "objectives": [
            "инклюзивті білім берудің нормативтік негіздерін таныстыру",
            "оқу бағдарламаларын бейімдеу дағдыларын дамыту",
        ],
        "expected_results": [
            "ерекше білім беру қажеттіліктерін анықтайды",
            "тапсырмалар мен бағалауды бейімдейді",
        ],
        "structure": "Бағдарлама үш модульден және қорытынды бағалаудан тұрады.",
        "organisation": "Оқыту күндізгі және қашықтықтан форматта, дәрістер, кейстер және өзіндік жұмыс түрінде өтеді.",
        "methodical_support": "Әр модульге презентациялар, кейстер жинағы және әдістемелік ұсынымдар берілген.",
        "assessment": "Қорытынды бағалау: жобалық жұмыс (10 балл) және 25 сұрақтан тұратын тест (кемінде 17 балл).",
        "postcourse": "Курстан кейін бір жыл бойы консультациялар мен вебинарлар өткізіледі.",
        "literature_main": ["Инклюзивті білім беру: әдістемелік құрал. – Астана: Ы. Алтынсарин атындағы ҰБА, 2023."],
        "literature_additional": ["Ерекше білім беру қажеттіліктері бар балаларды оқыту. – Алматы, 2022."],
    },
    SectionLanguage.RU: {
        "general_provisions": _lines(
            "Программа предназначена для педагогов общеобразовательных школ и направлена на развитие "
            "компетенций, необходимых для работы в инклюзивной среде.",
            "Программа разработана на основе Закона Республики Казахстан «Об образовании» и нормативных "
            "правовых актов об инклюзивном образовании.",
        ),
        "glossary": [
            [
                "Инклюзивное образование",
                "процесс, обеспечивающий равный доступ к образованию для всех "
                "обучающихся с учетом особых образовательных потребностей",
            ],
            [
                "Особые образовательные потребности",
                "потребности обучающегося, требующие дополнительной поддержки в обучении",
            ],
        ],
        "subject": "Организация обучения и оценивания в инклюзивной среде.",
        "goal": "Повысить готовность педагогов к обучению обучающихся с особыми образовательными потребностями.",
        "objectives": [
            "познакомить с нормативными основами инклюзивного образования",
            "развить навыки адаптации учебных программ",
        ],
        "expected_results": [
            "выявляют особые образовательные потребности",
            "адаптируют задания и оценивание",
        ],
        "structure": "Программа состоит из трех модулей и итогового оценивания.",
        "organisation": "Обучение проходит в очном и дистанционном формате: лекции, кейсы и самостоятельная работа.",
        "methodical_support": "К каждому модулю подготовлены презентации, сборник кейсов и методические рекомендации.",
        "assessment": "Итоговое оценивание: проектная работа (10 баллов) и тест из 25 вопросов (не менее 17 баллов).",
        "postcourse": "В течение года после курса проводятся консультации и вебинары.",
        "literature_main": ["Инклюзивное образование: методическое пособие. – Астана: НАО имени И. Алтынсарина, 2023."],
        "literature_additional": ["Обучение детей с особыми образовательными потребностями. – Алматы, 2022."],
    },
}


def program_in_discussion(*, by_methodist):
    """A 36-hour program published for public discussion today, with one comment."""
    existing = Program.objects.filter(title_ru=INCLUSION_RU).first()
    if existing:
        return existing
    program = program_create(
        by=by_methodist,
        title_kk=INCLUSION_KK,
        title_ru=INCLUSION_RU,
        form_of_study=FormOfStudy.BLENDED,
        language=Language.KK_RU,
        authors="Ахметова Д.",
    )
    _enter_texts(program.current_version, INCLUSION_TEXTS)
    _enter_plan(program.current_version, INCLUSION_MODULES)
    discussion = program_publish_for_discussion(program, by=by_methodist)
    _comment(
        discussion,
        name="Қасымова Айгүл",
        organisation="№ 3 мектеп-гимназия, Қарағанды",
        text="Тьютордың жұмысы туралы жеке тақырып қосуды ұсынамын.",
        at=timezone.now(),
    )
    program.refresh_from_db()
    return program


# --------------------------------------------------------------------------- a program returned for rework

DIGITAL_RU = "Цифровые образовательные ресурсы в преподавании естественно-научных дисциплин"
DIGITAL_KK = "Жаратылыстану пәндерін оқытудағы цифрлық білім беру ресурстары"

DIGITAL_MODULES = [
    {
        "title_kk": "Цифрлық білім беру ортасы",
        "title_ru": "Цифровая образовательная среда",
        "content_kk": "Модуль цифрлық білім беру ортасының құрамдас бөліктерін және оның қауіпсіздігін қарастырады.",
        "content_ru": "Модуль рассматривает компоненты цифровой образовательной среды и ее безопасность.",
        "final": False,
        "topics": [
            ("1.1", "Цифрлық ортаның құрамдас бөліктері", "Компоненты цифровой среды", 2, 2, 1, 1, 0),
            ("1.2", "Білім беру платформалары", "Образовательные платформы", 2, 2, 1, 1, 0),
            ("1.3", "Цифрлық қауіпсіздік және этика", "Цифровая безопасность и этика", 2, 1, 1, 0, 0),
        ],
    },
    {
        "title_kk": "Виртуалды зертханалар мен модельдеу",
        "title_ru": "Виртуальные лаборатории и моделирование",
        "content_kk": "Модуль физика, химия және биология сабақтарында виртуалды зертханаларды қолдануды үйретеді.",
        "content_ru": "Модуль учит применять виртуальные лаборатории на уроках физики, химии и биологии.",
        "final": False,
        "topics": [
            ("2.1", "Физикадағы виртуалды зертханалар", "Виртуальные лаборатории по физике", 2, 2, 1, 1, 0),
            ("2.2", "Химия мен биологиядағы модельдеу", "Моделирование в химии и биологии", 2, 2, 1, 1, 0),
            ("2.3", "Цифрлық өлшеу құралдары", "Цифровые измерительные инструменты", 2, 1, 0, 1, 0),
            (
                "СӨЖ № 1",
                "Виртуалды зертханалық жұмыс сценарийі",
                "Сценарий виртуальной лабораторной работы",
                0,
                0,
                0,
                0,
                4,
            ),
        ],
    },
    {
        "title_kk": "Цифрлық оқу контентін әзірлеу",
        "title_ru": "Разработка цифрового учебного контента",
        "content_kk": "Модуль интерактивті тапсырмалар мен бейнесабақтарды әзірлеуге арналған.",
        "content_ru": "Модуль посвящен разработке интерактивных заданий и видеоуроков.",
        "final": False,
        "topics": [
            ("3.1", "Интерактивті тапсырмалар", "Интерактивные задания", 2, 2, 1, 1, 0),
            ("3.2", "Бейнесабақтар мен подкасттар", "Видеоуроки и подкасты", 2, 2, 1, 1, 0),
            ("СӨЖ № 2", "Интерактивті сабақ әзірлеу", "Разработка интерактивного урока", 0, 0, 0, 0, 4),
        ],
    },
    {
        "title_kk": "Цифрлық құралдармен бағалау",
        "title_ru": "Оценивание с помощью цифровых инструментов",
        "content_kk": "Модуль формативті және жиынтық бағалаудың цифрлық құралдарын қарастырады.",
        "content_ru": "Модуль рассматривает цифровые инструменты формативного и суммативного оценивания.",
        "final": False,
        "topics": [
            ("4.1", "Формативті бағалау құралдары", "Инструменты формативного оценивания", 2, 2, 1, 1, 0),
            ("4.2", "Оқу аналитикасы", "Учебная аналитика", 2, 1, 1, 1, 0),
            ("СӨЖ № 3", "Цифрлық бағалау жинағы", "Комплект цифрового оценивания", 0, 0, 0, 0, 3),
        ],
    },
    {
        "title_kk": "Қорытынды бағалау",
        "title_ru": "Итоговое оценивание",
        "content_kk": "Қорытынды бағалау жобалық жұмысты қорғаудан және тестілеуден тұрады.",
        "content_ru": "Итоговое оценивание состоит из защиты проектной работы и тестирования.",
        "final": True,
        "topics": [
            ("", "Жобалық жұмыс", "Проектная работа", 0, 0, 0, 0, 4),
            ("", "Тестілеу", "Тестирование", 0, 0, 0, 0, 2),
        ],
    },
]

DIGITAL_TEXTS = {
    SectionLanguage.KK: {
        "general_provisions": "Бағдарлама жаратылыстану пәндері мұғалімдерінің цифрлық құзыреттерін дамытуға "
        "бағытталған.",
        "glossary": [
            ["Виртуалды зертхана", "нақты тәжірибені компьютерлік модельдеу арқылы жүргізуге мүмкіндік беретін орта"],
            ["Оқу аналитикасы", "оқыту нәтижелерін жақсарту үшін білім алушылар туралы деректерді жинау және талдау"],
        ],
        "subject": "Физика, химия және биология сабақтарында цифрлық ресурстарды қолдану.",
        "goal": "Жаратылыстану пәндерін оқытуда цифрлық ресурстарды тиімді пайдалану дағдыларын дамыту.",
        "objectives": ["виртуалды зертханалармен таныстыру", "цифрлық оқу контентін әзірлеуге үйрету"],
        "expected_results": ["виртуалды зертханаларды сабақта қолданады", "интерактивті тапсырмалар әзірлейді"],
        "structure": "Бағдарлама төрт модульден және қорытынды бағалаудан тұрады.",
        "organisation": "Оқыту қашықтықтан форматта бейнеконференция арқылы өтеді.",
        "methodical_support": "Модульдерге бейнесабақтар мен практикалық тапсырмалар жинағы берілген.",
        "assessment": "Қорытынды бағалау: жобалық жұмыс және тест.",
        "postcourse": "Курстан кейін бір жыл бойы онлайн-консультациялар өткізіледі.",
        "literature_main": ["Цифрлық білім беру ресурстары: оқу құралы. – Астана, 2023."],
        "literature_additional": [],
    },
    SectionLanguage.RU: {
        "general_provisions": "Программа направлена на развитие цифровых компетенций учителей естественно-научных "
        "дисциплин.",
        "glossary": [
            [
                "Виртуальная лаборатория",
                "среда, позволяющая проводить эксперимент с помощью компьютерного моделирования",
            ],
            ["Учебная аналитика", "сбор и анализ данных об обучающихся для улучшения результатов обучения"],
        ],
        "subject": "Применение цифровых ресурсов на уроках физики, химии и биологии.",
        "goal": "Развить навыки эффективного использования цифровых ресурсов в преподавании естественных наук.",
        "objectives": ["познакомить с виртуальными лабораториями", "научить разрабатывать цифровой учебный контент"],
        "expected_results": ["применяют виртуальные лаборатории на уроке", "разрабатывают интерактивные задания"],
        "structure": "Программа состоит из четырех модулей и итогового оценивания.",
        "organisation": "Обучение проходит дистанционно с использованием видеоконференцсвязи.",
        "methodical_support": "К модулям подготовлены видеоуроки и сборник практических заданий.",
        "assessment": "Итоговое оценивание: проектная работа и тест.",
        "postcourse": "В течение года после курса проводятся онлайн-консультации.",
        "literature_main": ["Цифровые образовательные ресурсы: учебное пособие. – Астана, 2023."],
        "literature_additional": [],
    },
}

DIGITAL_REMARKS = [
    "Уточнить ожидаемые результаты Программы: сформулировать их измеримо, в соответствии с задачами.",
    "Дополнить список основной литературы изданиями последних пяти лет, в том числе на казахском языке.",
    "Привести критерии оценивания проектной работы с баллами по каждому критерию.",
]


def program_in_rework(*, by_methodist):
    """A 72-hour program the state body returned with three remarks; the next version is being edited."""
    existing = Program.objects.filter(title_ru=DIGITAL_RU).first()
    if existing:
        return existing
    program = program_create(
        by=by_methodist,
        title_kk=DIGITAL_KK,
        title_ru=DIGITAL_RU,
        form_of_study=FormOfStudy.WITHOUT_LEAVING_WORK,
        language=Language.KK_RU,
        authors="Ахметова Д.",
    )
    _enter_texts(program.current_version, DIGITAL_TEXTS)
    _enter_plan(program.current_version, DIGITAL_MODULES)
    discussion = program_publish_for_discussion(
        program, by=by_methodist, on=timezone.localdate() - datetime.timedelta(days=60)
    )
    submitted_on = _after_discussion(discussion)
    submission = program_submit(program, by=by_methodist, letter_number="01-15/305", on=submitted_on)
    submission_conclude(
        submission,
        by=by_methodist,
        conclusion=Conclusion.REWORK,
        on=add_working_days(submitted_on, 10),
        number="6-12/1502",
        remarks=DIGITAL_REMARKS,
    )
    remark_answer(
        StateRemark.objects.get(submission=submission, position=1),
        by=by_methodist,
        answer="Ожидаемые результаты переформулированы через действия слушателей и соотнесены с задачами.",
    )
    program.refresh_from_db()
    return program
