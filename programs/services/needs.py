"""Needs analysis before a program and the director's order to develop it (000 §2.3-2.6).

The centre reviews legislation and asks teachers about their professional needs (§2.3); the methodical
council discusses the results and records minutes with its recommendation (§2.4-2.5); the director's
order to develop a program names its title, duration, form of study and deadline, and creates the
program's first draft (§2.6).

Every change is one function with keyword-only arguments and an explicit actor, atomic, raising a
DomainError with a translated message and leaving nothing changed when a rule is broken. The reads the
pages need (results of surveys, the orders with their overdue flag) are in ``programs.selectors``.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat import access
from ziat.activity import log_action
from ziat.documents import render_pdf
from ziat.errors import DomainError
from ziat.excel import Sheet, Styled, bold, write_workbook_to
from ziat.models import Organisation

from ..enums import CouncilDecision, FormOfStudy, Language, QuestionKind
from ..models import (
    CouncilMinutes,
    DevelopmentOrder,
    LegislationReview,
    NeedsSurvey,
    SurveyAnswer,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
)
from ..selectors import development_orders, survey_results
from .workflow import program_create

CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
MIN_OPTIONS = 2


def _lock(instance):
    """Lock the row of ``instance`` for the transaction and refresh it, so the caller's object stays current."""
    list(type(instance).objects.select_for_update().filter(pk=instance.pk).values_list("pk", flat=True))
    instance.refresh_from_db()
    return instance


def _clean(value):
    return (value or "").strip()


def _need_one_of(kk, ru, message):
    if not (_clean(kk) or _clean(ru)):
        raise DomainError(message)


# --------------------------------------------------------------------------- surveys (000 §2.3)


def _check_survey_texts(title_kk, title_ru):
    _need_one_of(title_kk, title_ru, _("Give the survey a title in Kazakh or Russian."))


@transaction.atomic
def survey_create(*, by, title_kk="", title_ru="", intro_kk="", intro_ru=""):
    access.require(by, "programs.add_needssurvey", None, _("You are not allowed to do this."))
    _check_survey_texts(title_kk, title_ru)
    survey = NeedsSurvey.objects.create(
        title_kk=_clean(title_kk),
        title_ru=_clean(title_ru),
        intro_kk=_clean(intro_kk),
        intro_ru=_clean(intro_ru),
        created_by=by,
    )
    log_action(
        survey, "programs.needs.survey_saved", by=by, after={"title_kk": survey.title_kk, "title_ru": survey.title_ru}
    )
    return survey


@transaction.atomic
def survey_update(survey, *, by, title_kk="", title_ru="", intro_kk="", intro_ru=""):
    access.require(by, "programs.change_needssurvey", survey, _("You are not allowed to do this."))
    _check_survey_texts(title_kk, title_ru)
    _lock(survey)
    before = {"title_kk": survey.title_kk, "title_ru": survey.title_ru}
    survey.title_kk, survey.title_ru = _clean(title_kk), _clean(title_ru)
    survey.intro_kk, survey.intro_ru = _clean(intro_kk), _clean(intro_ru)
    survey.save(update_fields=["title_kk", "title_ru", "intro_kk", "intro_ru"])
    log_action(
        survey,
        "programs.needs.survey_saved",
        by=by,
        before=before,
        after={"title_kk": survey.title_kk, "title_ru": survey.title_ru},
    )
    return survey


def _check_questions_editable(survey):
    """Questions are fixed once anyone answered: changing them would falsify the answers given."""
    if SurveyResponse.objects.filter(survey=survey).exists():
        raise DomainError(_("The survey already has answers; its questions can no longer be changed."))


def _check_question(kind, text_kk, text_ru, options):
    if kind not in QuestionKind.values:
        raise DomainError(_("Choose the kind of the question."))
    _need_one_of(text_kk, text_ru, _("Write the question in Kazakh or Russian."))
    if kind in CHOICE_KINDS:
        if len(options) < MIN_OPTIONS:
            raise DomainError(_("A question with a choice needs at least two answer options."))
        for kk, ru in options:
            _need_one_of(kk, ru, _("Every answer option needs a text in Kazakh or Russian."))
    elif options:
        raise DomainError(_("A free-text question has no answer options."))


def _save_options(question, options):
    SurveyOption.objects.bulk_create(
        SurveyOption(question=question, position=i, text_kk=_clean(kk), text_ru=_clean(ru))
        for i, (kk, ru) in enumerate(options, start=1)
    )


@transaction.atomic
def survey_question_add(survey, *, by, kind, text_kk="", text_ru="", required=True, options=()):
    """Add a question at the end; ``options`` are (Kazakh, Russian) pairs for a choice question."""
    access.require(by, "programs.change_needssurvey", survey, _("You are not allowed to do this."))
    _lock(survey)
    options = list(options)
    _check_questions_editable(survey)
    _check_question(kind, text_kk, text_ru, options)
    last = survey.questions.order_by("-position").values_list("position", flat=True).first() or 0
    question = SurveyQuestion.objects.create(
        survey=survey,
        position=last + 1,
        kind=kind,
        text_kk=_clean(text_kk),
        text_ru=_clean(text_ru),
        required=required,
    )
    _save_options(question, options)
    log_action(question, "programs.needs.question_saved", by=by, after={"position": question.position, "kind": kind})
    return question


@transaction.atomic
def survey_question_update(question, *, by, kind, text_kk="", text_ru="", required=True, options=()):
    """Replace the question's texts, kind and options (only while nobody has answered)."""
    access.require(by, "programs.change_needssurvey", question, _("You are not allowed to do this."))
    _lock(question.survey)
    options = list(options)
    _check_questions_editable(question.survey)
    _check_question(kind, text_kk, text_ru, options)
    question.kind, question.required = kind, required
    question.text_kk, question.text_ru = _clean(text_kk), _clean(text_ru)
    question.save(update_fields=["kind", "required", "text_kk", "text_ru"])
    question.options.all().delete()
    _save_options(question, options)
    log_action(question, "programs.needs.question_saved", by=by, after={"position": question.position, "kind": kind})
    return question


@transaction.atomic
def survey_question_remove(question, *, by):
    access.require(by, "programs.change_needssurvey", question, _("You are not allowed to do this."))
    survey = _lock(question.survey)
    _check_questions_editable(survey)
    log_action(question, "programs.needs.question_removed", by=by, before={"position": question.position})
    question.delete()
    # Close the gap so that the questions keep their numbers 1, 2, 3 ...
    for position, item in enumerate(survey.questions.order_by("position"), start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def survey_open(survey, *, by):
    """Open the survey for answers by its public link."""
    access.require(by, "programs.change_needssurvey", survey, _("You are not allowed to do this."))
    _lock(survey)
    if survey.is_open:
        raise DomainError(_("The survey is already open."))
    if not survey.questions.exists():
        raise DomainError(_("Add at least one question before opening the survey."))
    survey.is_open = True
    survey.save(update_fields=["is_open"])
    log_action(survey, "programs.needs.survey_opened", by=by)
    return survey


@transaction.atomic
def survey_close(survey, *, by):
    access.require(by, "programs.change_needssurvey", survey, _("You are not allowed to do this."))
    _lock(survey)
    if not survey.is_open:
        raise DomainError(_("The survey is already closed."))
    survey.is_open = False
    survey.save(update_fields=["is_open"])
    log_action(survey, "programs.needs.survey_closed", by=by)
    return survey


def _answer_row(question, value):
    """One question's answer as (question, options, text), None when left blank; a wrong answer is refused."""
    number = {"number": question.position}
    if question.kind in CHOICE_KINDS:
        if isinstance(value, str):
            raise DomainError(_("Choose an option for question %(number)s.") % number)
        chosen = list(dict.fromkeys(value or ()))
        own = {o.pk: o for o in question.options.all()}
        if any(pk not in own for pk in chosen):
            raise DomainError(_("The answer to question %(number)s names an option of another question.") % number)
        if question.kind == QuestionKind.SINGLE and len(chosen) > 1:
            raise DomainError(_("Only one option may be chosen for question %(number)s.") % number)
        options, text = [own[pk] for pk in chosen], ""
    else:
        if value is not None and not isinstance(value, str):
            raise DomainError(_("Question %(number)s expects a text answer.") % number)
        options, text = [], _clean(value)
    if not options and not text:
        if question.required:
            raise DomainError(_("Please answer question %(number)s: it is required.") % number)
        return None
    return question, options, text


@transaction.atomic
def survey_answer_submit(survey, *, answers, language=""):
    """Record one respondent's answers; anyone with the link answers, so there is no actor.

    ``answers`` maps a question's id to a list of option ids (choice questions) or to a text.
    Nothing is saved unless every answer is valid.
    """
    _lock(survey)
    if not survey.is_open:
        raise DomainError(_("This survey is closed and no longer accepts answers."))
    questions = {q.pk: q for q in survey.questions.prefetch_related("options")}
    unknown = set(answers) - set(questions)
    if unknown:
        raise DomainError(_("The answers name a question that is not in this survey."))
    rows = []
    for question in sorted(questions.values(), key=lambda q: q.position):
        row = _answer_row(question, answers.get(question.pk))
        if row is not None:
            rows.append(row)
    if not rows:
        raise DomainError(_("Please answer at least one question."))
    response = SurveyResponse.objects.create(survey=survey, language=(language or "")[:5])
    for question, options, text in rows:
        answer = SurveyAnswer.objects.create(response=response, question=question, text=text)
        if options:
            answer.options.set(options)
    return response


# --------------------------------------------------------------------------- legislation reviews (000 §2.3)


def _check_review(act, summary, reviewed_on):
    if not reviewed_on:
        raise DomainError(_("Give the date of the review."))
    if not _clean(act):
        raise DomainError(_("Name the act that was reviewed."))
    if not _clean(summary):
        raise DomainError(_("Write what the act changes for programs."))


@transaction.atomic
def legislation_review_create(*, by, reviewed_on, act, summary):
    access.require(by, "programs.add_legislationreview", None, _("You are not allowed to do this."))
    _check_review(act, summary, reviewed_on)
    review = LegislationReview.objects.create(reviewed_on=reviewed_on, act=_clean(act), summary=_clean(summary), by=by)
    log_action(review, "programs.needs.review_saved", by=by, after={"reviewed_on": reviewed_on, "act": review.act})
    return review


@transaction.atomic
def legislation_review_update(review, *, by, reviewed_on, act, summary):
    access.require(by, "programs.change_legislationreview", review, _("You are not allowed to do this."))
    _check_review(act, summary, reviewed_on)
    _lock(review)
    before = {"reviewed_on": review.reviewed_on, "act": review.act}
    review.reviewed_on, review.act, review.summary = reviewed_on, _clean(act), _clean(summary)
    review.save(update_fields=["reviewed_on", "act", "summary"])
    log_action(
        review,
        "programs.needs.review_saved",
        by=by,
        before=before,
        after={"reviewed_on": reviewed_on, "act": review.act},
    )
    return review


# --------------------------------------------------------------------------- council minutes (000 §2.4-2.5)


def _check_minutes(minutes_pk, *, number, held_on, attendees, proposed_title, decision):
    if not _clean(number):
        raise DomainError(_("Give the number of the minutes."))
    if not held_on:
        raise DomainError(_("Give the date of the council's meeting."))
    if not _clean(attendees):
        raise DomainError(_("List who attended the council."))
    if not _clean(proposed_title):
        raise DomainError(_("Name the program the council discussed."))
    if decision not in CouncilDecision.values:
        raise DomainError(_("Record the council's decision: develop the program or not."))
    if held_on > timezone.localdate():
        raise DomainError(_("The council's meeting cannot be dated in the future."))
    same = CouncilMinutes.objects.filter(number=_clean(number), held_on__year=held_on.year).exclude(pk=minutes_pk)
    if same.exists():
        raise DomainError(
            _("Minutes No. %(number)s already exist for %(year)s.") % {"number": _clean(number), "year": held_on.year}
        )


def _save_minutes(minutes, *, number, held_on, attendees, agenda, proposed_title, decision, recommendation):
    minutes.number, minutes.held_on = _clean(number), held_on
    minutes.attendees, minutes.agenda = _clean(attendees), _clean(agenda)
    minutes.proposed_title, minutes.decision = _clean(proposed_title), decision
    minutes.recommendation = _clean(recommendation)


@transaction.atomic
def council_minutes_create(
    *,
    by,
    number,
    held_on,
    attendees,
    proposed_title,
    decision,
    agenda="",
    recommendation="",
    surveys=(),
    reviews=(),
):
    """Record the council's minutes with the survey results and legislation reviews it discussed."""
    access.require(by, "programs.add_councilminutes", None, _("You are not allowed to do this."))
    _check_minutes(
        None, number=number, held_on=held_on, attendees=attendees, proposed_title=proposed_title, decision=decision
    )
    minutes = CouncilMinutes(created_by=by)
    _save_minutes(
        minutes,
        number=number,
        held_on=held_on,
        attendees=attendees,
        agenda=agenda,
        proposed_title=proposed_title,
        decision=decision,
        recommendation=recommendation,
    )
    minutes.save()
    minutes.surveys.set(surveys)
    minutes.reviews.set(reviews)
    log_action(minutes, "programs.needs.minutes_saved", by=by, after={"number": minutes.number, "decision": decision})
    return minutes


@transaction.atomic
def council_minutes_update(
    minutes,
    *,
    by,
    number,
    held_on,
    attendees,
    proposed_title,
    decision,
    agenda="",
    recommendation="",
    surveys=(),
    reviews=(),
):
    access.require(by, "programs.change_councilminutes", minutes, _("You are not allowed to do this."))
    _lock(minutes)
    before = {"number": minutes.number, "decision": minutes.decision}
    _check_minutes(
        minutes.pk,
        number=number,
        held_on=held_on,
        attendees=attendees,
        proposed_title=proposed_title,
        decision=decision,
    )
    if decision != CouncilDecision.DEVELOP and DevelopmentOrder.objects.filter(minutes=minutes).exists():
        raise DomainError(_("An order to develop the program already rests on these minutes; the decision stays."))
    _save_minutes(
        minutes,
        number=number,
        held_on=held_on,
        attendees=attendees,
        agenda=agenda,
        proposed_title=proposed_title,
        decision=decision,
        recommendation=recommendation,
    )
    minutes.save(
        update_fields=["number", "held_on", "attendees", "agenda", "proposed_title", "decision", "recommendation"]
    )
    minutes.surveys.set(surveys)
    minutes.reviews.set(reviews)
    log_action(
        minutes,
        "programs.needs.minutes_saved",
        by=by,
        before=before,
        after={"number": minutes.number, "decision": decision},
    )
    return minutes


# --------------------------------------------------------------------------- development order (000 §2.6)


@transaction.atomic
def development_order_create(
    *,
    by,
    number,
    issued_on,
    hours,
    form_of_study,
    language,
    authors,
    deadline,
    title_kk="",
    title_ru="",
    minutes=None,
):
    """The director's order to develop a program; it creates the program and its first draft."""
    access.require(
        by, "programs.add_developmentorder", minutes, _("Only the director issues orders to develop a program.")
    )
    number = _clean(number)
    if not number:
        raise DomainError(_("Give the order's number."))
    if not issued_on or not deadline:
        raise DomainError(_("Give the order's date and the deadline of development."))
    _need_one_of(title_kk, title_ru, _("Give the program's title in Kazakh or Russian."))
    if hours is None or hours <= 0:
        raise DomainError(_("The duration must be a positive number of academic hours."))
    if form_of_study not in FormOfStudy.values:
        raise DomainError(_("Choose the form of study."))
    if language not in Language.values:
        raise DomainError(_("Choose the language of instruction."))
    if not _clean(authors):
        raise DomainError(_("Name the program's authors."))
    if deadline < issued_on:
        raise DomainError(_("The deadline of development cannot be earlier than the order's date."))
    if DevelopmentOrder.objects.filter(number=number, issued_on__year=issued_on.year).exists():
        raise DomainError(
            _("An order No. %(number)s was already issued in %(year)s.") % {"number": number, "year": issued_on.year}
        )
    if minutes is not None:
        if minutes.decision != CouncilDecision.DEVELOP:
            raise DomainError(_("The council recommended not to develop this program; the order cannot rest on it."))
        if minutes.held_on > issued_on:
            raise DomainError(_("The order cannot be dated before the council's meeting it rests on."))
    program = program_create(
        by=by,
        title_kk=_clean(title_kk),
        title_ru=_clean(title_ru),
        form_of_study=form_of_study,
        language=language,
        authors=_clean(authors),
        note=_("Development order No. %(number)s of %(date)s")
        % {"number": number, "date": issued_on.strftime("%d.%m.%Y")},
    )
    order = DevelopmentOrder.objects.create(
        number=number,
        issued_on=issued_on,
        minutes=minutes,
        program=program,
        title_kk=_clean(title_kk),
        title_ru=_clean(title_ru),
        hours=hours,
        form_of_study=form_of_study,
        language=language,
        authors=_clean(authors),
        deadline=deadline,
        created_by=by,
    )
    log_action(
        order,
        "programs.needs.order_created",
        by=by,
        after={"number": number, "issued_on": issued_on, "deadline": deadline},
    )
    return order


# --------------------------------------------------------------------------- the development order's document


def development_order_context(order):
    """What the development order prints."""
    return {"order": development_orders().get(pk=order.pk), "org": Organisation.current()}


def development_order_pdf(order):
    """The order as a PDF signed by the head of the organisation (000 §2.6)."""
    order = development_orders().get(pk=order.pk)
    return render_pdf(
        "programs/documents/development_order.html",
        {"order": order, "org": Organisation.current()},
    )


# --------------------------------------------------------------------------- Excel export


# The responses read at once while the workbook is written.
RESPONSES_BATCH = 500


def survey_workbook(survey, out, *, progress=None):
    """Write the survey's results as an .xlsx workbook into the binary file ``out``: per-option counts and every
    response, read a batch at a time and streamed into the file (about the same memory for any number)."""
    results = survey_results(survey, with_texts=False)  # the free texts are written with their responses

    def counts():
        yield [bold(survey.title)]
        yield [_("Responses"), results.responses]
        yield []
        yield [bold(h) for h in (_("No."), _("Question"), _("Option"), _("Answers"), _("Percent"))]
        for item in results.questions:
            if item.is_text:
                yield [item.question.position, item.question.text, _("(free text)"), item.answered, None]
                continue
            for option in item.options:
                yield [
                    item.question.position,
                    item.question.text,
                    option.option.text,
                    option.count,
                    Styled(option.percent / 100, number_format="0%"),
                ]

    questions = [item.question for item in results.questions]

    def responses():
        header = [_("No."), _("Submitted"), _("Language"), *[f"{q.position}. {q.text}" for q in questions]]
        yield [bold(h) for h in header]
        answers = SurveyAnswer.objects.prefetch_related(
            Prefetch("options", queryset=SurveyOption.objects.order_by("position"))
        )
        tz = timezone.get_current_timezone()
        total = results.responses
        found = (
            SurveyResponse.objects.filter(survey=survey)
            .prefetch_related(Prefetch("answers", queryset=answers))
            .order_by("submitted_at", "pk")
            .iterator(chunk_size=RESPONSES_BATCH)
        )
        for number, response in enumerate(found, start=1):
            by_question = {}
            for answer in response.answers.all():
                by_question[answer.question_id] = answer.text or "; ".join(o.text for o in answer.options.all())
            submitted = timezone.localtime(response.submitted_at, tz).replace(tzinfo=None)
            yield [
                number,
                Styled(submitted, number_format="DD.MM.YYYY HH:MM"),
                response.language,
                *[by_question.get(q.pk, "") for q in questions],
            ]
            if progress is not None:
                message = _("Responses written: %(done)s of %(total)s") % {"done": number, "total": total}
                progress(number, total, message)

    write_workbook_to(
        out,
        [
            Sheet(title=_("Counts"), rows=counts(), widths={"B": 60, "C": 40}),
            Sheet(title=_("Responses"), rows=responses(), widths={"B": 18}),
        ],
    )
