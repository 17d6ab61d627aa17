"""Needs analysis and development orders (000 §2.3-2.6): the staff's screens and the public survey page.

Views parse the form, call a service and render; a DomainError re-renders the form with its message and
nothing saved.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.exports import export_start
from ziat.listing import listing
from ziat.models import localized
from ziat.ratelimit import rate_limited
from ziat.refusals import staff_required
from ziat.stored_documents import document_view

from .. import selectors
from ..enums import CouncilDecision
from ..filters import SurveyFilter
from ..forms.needs import (
    CouncilMinutesForm,
    DevelopmentOrderForm,
    LegislationReviewForm,
    QuestionForm,
    SurveyAnswerForm,
    SurveyForm,
)
from ..models import CouncilMinutes, LegislationReview, NeedsSurvey, SurveyOption, SurveyQuestion
from ..services import needs


def _form_page(request, template, context, form, status=None):
    bad = request.method == "POST"
    return render(request, template, {**context, "form": form}, status=status or (400 if bad else 200))


def _data(request):
    return request.POST if request.method == "POST" else None


def _apply(request, form, call):
    """On a POST with a valid form call the service; on a DomainError put its message on the form (a refusal
    answers with the refusal page)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        form.add_error(None, e.message)
        return None


# --------------------------------------------------------------------------- home


@staff_required("programs.view_needssurvey")
def home(request):
    user = request.user
    context = {"today": timezone.localdate()}
    context["surveys"] = list(selectors.surveys_with_counts()[:5])
    if user.has_perm("programs.view_legislationreview"):
        context["reviews"] = list(LegislationReview.objects.select_related("by")[:5])
    if user.has_perm("programs.view_councilminutes"):
        context["minutes_list"] = list(CouncilMinutes.objects.all()[:5])
    if user.has_perm("programs.view_developmentorder"):
        context["overdue"] = list(selectors.development_orders().filter(is_overdue=True))
    return render(request, "programs/needs/home.html", context)


# --------------------------------------------------------------------------- surveys (000 §2.3)


def _questions(survey):
    return survey.questions.prefetch_related("options").order_by("position")


@staff_required("programs.view_needssurvey")
def survey_list(request):
    found = listing(request, SurveyFilter, selectors.surveys_with_counts())
    return render(request, "programs/needs/survey_list.html", {"list": found}, status=found.status)


@staff_required("programs.add_needssurvey")
@require_http_methods(["GET", "POST"])
def survey_create(request):
    form = SurveyForm(_data(request))
    survey = _apply(request, form, lambda data: needs.survey_create(by=request.user, **data))
    if survey:
        messages.success(request, _("The survey is created; now add its questions."))
        return redirect("programs:survey_detail", pk=survey.pk)
    return _form_page(request, "programs/needs/survey_form.html", {"survey": None}, form)


@staff_required("programs.view_needssurvey")
def survey_detail(request, pk):
    survey = get_object_or_404(selectors.surveys_with_counts(), pk=pk)
    access.check(request.user, "programs.view_needssurvey", survey)
    context = {
        "survey": survey,
        "questions": list(_questions(survey)),
        "public_url": request.build_absolute_uri(survey_url(survey)),
        "question_form": QuestionForm(),
        "editable": survey.response_count == 0,
    }
    return render(request, "programs/needs/survey_detail.html", context)


def survey_url(survey):
    return reverse("programs:survey_answer", kwargs={"token": survey.token})


@staff_required("programs.change_needssurvey")
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = get_object_or_404(NeedsSurvey, pk=pk)
    access.check(request.user, "programs.change_needssurvey", survey)
    form = SurveyForm.for_survey(survey, _data(request))
    if _apply(request, form, lambda data: needs.survey_update(survey, by=request.user, **data)):
        messages.success(request, _("The survey is saved."))
        return redirect("programs:survey_detail", pk=survey.pk)
    return _form_page(request, "programs/needs/survey_form.html", {"survey": survey}, form)


@staff_required("programs.change_needssurvey")
@require_http_methods(["GET", "POST"])
def question_add(request, pk):
    survey = get_object_or_404(NeedsSurvey, pk=pk)
    access.check(request.user, "programs.change_needssurvey", survey)
    form = QuestionForm(_data(request))
    if _apply(request, form, lambda data: needs.survey_question_add(survey, by=request.user, **form.service_kwargs())):
        messages.success(request, _("The question is added."))
        return redirect("programs:survey_detail", pk=survey.pk)
    return _form_page(request, "programs/needs/question_form.html", {"survey": survey, "question": None}, form)


@staff_required("programs.change_needssurvey")
@require_http_methods(["GET", "POST"])
def question_edit(request, pk, question_pk):
    survey = get_object_or_404(NeedsSurvey, pk=pk)
    access.check(request.user, "programs.change_needssurvey", survey)
    question = get_object_or_404(SurveyQuestion, pk=question_pk, survey=survey)
    access.check(request.user, "programs.change_needssurvey", question)
    form = QuestionForm.for_question(question, _data(request))
    if _apply(
        request, form, lambda data: needs.survey_question_update(question, by=request.user, **form.service_kwargs())
    ):
        messages.success(request, _("The question is saved."))
        return redirect("programs:survey_detail", pk=survey.pk)
    return _form_page(request, "programs/needs/question_form.html", {"survey": survey, "question": question}, form)


def _post_action(request, pk, action, done):
    """A change of a survey from its page (every caller needs the permission to change surveys)."""
    survey = get_object_or_404(NeedsSurvey, pk=pk)
    access.check(request.user, "programs.change_needssurvey", survey)
    try:
        action(survey)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done)
    return redirect("programs:survey_detail", pk=survey.pk)


@staff_required("programs.change_needssurvey")
@require_POST
def question_remove(request, pk, question_pk):
    question = get_object_or_404(SurveyQuestion, pk=question_pk, survey_id=pk)
    access.check(request.user, "programs.change_needssurvey", question)
    return _post_action(
        request,
        pk,
        lambda survey: needs.survey_question_remove(question, by=request.user),
        _("The question is removed."),
    )


@staff_required("programs.change_needssurvey")
@require_POST
def survey_open(request, pk):
    return _post_action(
        request,
        pk,
        lambda survey: needs.survey_open(survey, by=request.user),
        _("The survey is open: share its link with teachers."),
    )


@staff_required("programs.change_needssurvey")
@require_POST
def survey_close(request, pk):
    return _post_action(
        request,
        pk,
        lambda survey: needs.survey_close(survey, by=request.user),
        _("The survey is closed."),
    )


@staff_required("programs.view_surveyresponse")
def survey_results(request, pk):
    survey = get_object_or_404(NeedsSurvey, pk=pk)
    access.check(request.user, "programs.view_surveyresponse", survey)
    results = selectors.survey_results(survey)
    return render(request, "programs/needs/survey_results.html", {"survey": survey, "results": results})


@require_http_methods(["GET", "POST"])
@staff_required("programs.view_surveyresponse")
def survey_export(request, pk):
    """The survey's results as an Excel workbook, written by a background job with its progress shown (started
    by a POST; a GET shows the button that starts it)."""
    survey = get_object_or_404(NeedsSurvey, pk=pk)
    access.check(request.user, "programs.view_surveyresponse", survey)
    return export_start(
        request,
        builder="programs.tasks.survey_results_file",
        kwargs={"survey_id": survey.pk, "user_id": request.user.pk},
        filename=f"survey-{survey.pk}.xlsx",
        title=_("Results of the survey %(title)s") % {"title": survey.title},
    )


# --------------------------------------------------------------------------- the public survey page


@rate_limited("survey", methods={"POST"})
@require_http_methods(["GET", "POST"])
def survey_answer(request, token):
    survey = get_object_or_404(NeedsSurvey, token=token)
    if not survey.is_open:
        return render(request, "programs/needs/public_closed.html", {"survey": survey})
    questions = list(
        SurveyQuestion.objects.filter(survey=survey)
        .prefetch_related(Prefetch("options", queryset=SurveyOption.objects.order_by("position")))
        .order_by("position")
    )
    form = SurveyAnswerForm(questions, _data(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                needs.survey_answer_submit(survey, answers=form.answers(), language=translation.get_language() or "")
            except DomainError as e:
                form.add_error(None, e.message)
                survey.refresh_from_db(fields=["is_open"])
                if not survey.is_open:
                    return render(request, "programs/needs/public_closed.html", {"survey": survey})
            else:
                return redirect("programs:survey_thanks", token=survey.token)
    context = {"survey": survey, "form": form, "intro": localized(survey, "intro")}
    return render(request, "programs/needs/public_answer.html", context, status=status)


@require_GET
def survey_thanks(request, token):
    survey = get_object_or_404(NeedsSurvey, token=token)
    return render(request, "programs/needs/public_thanks.html", {"survey": survey})


# --------------------------------------------------------------------------- legislation reviews (000 §2.3)


@staff_required("programs.view_legislationreview")
def review_list(request):
    reviews = list(LegislationReview.objects.select_related("by").prefetch_related("minutes"))
    return render(request, "programs/needs/review_list.html", {"reviews": reviews})


@staff_required("programs.add_legislationreview")
@require_http_methods(["GET", "POST"])
def review_create(request):
    form = LegislationReviewForm(_data(request))
    if _apply(request, form, lambda data: needs.legislation_review_create(by=request.user, **data)):
        messages.success(request, _("The legislation review is saved."))
        return redirect("programs:review_list")
    return _form_page(request, "programs/needs/review_form.html", {"review": None}, form)


@staff_required("programs.change_legislationreview")
@require_http_methods(["GET", "POST"])
def review_edit(request, pk):
    review = get_object_or_404(LegislationReview, pk=pk)
    access.check(request.user, "programs.change_legislationreview", review)
    form = LegislationReviewForm.for_review(review, _data(request))
    if _apply(request, form, lambda data: needs.legislation_review_update(review, by=request.user, **data)):
        messages.success(request, _("The legislation review is saved."))
        return redirect("programs:review_list")
    return _form_page(request, "programs/needs/review_form.html", {"review": review}, form)


# --------------------------------------------------------------------------- council minutes (000 §2.4-2.5)


@staff_required("programs.view_councilminutes")
def minutes_list(request):
    minutes = list(
        CouncilMinutes.objects.prefetch_related("surveys", "reviews", "developmentorder_set").order_by(
            "-held_on", "-pk"
        )
    )
    return render(request, "programs/needs/minutes_list.html", {"minutes_list": minutes})


@staff_required("programs.view_councilminutes")
def minutes_detail(request, pk):
    minutes = get_object_or_404(
        CouncilMinutes.objects.prefetch_related("reviews", "developmentorder_set__program"), pk=pk
    )
    access.check(request.user, "programs.view_councilminutes", minutes)
    surveys = list(minutes.surveys.order_by("-created_at"))
    results = selectors.surveys_results(surveys)
    context = {
        "minutes": minutes,
        "survey_results": [results[s.pk] for s in surveys],
        "can_order": minutes.decision == CouncilDecision.DEVELOP
        and request.user.has_perm("programs.add_developmentorder"),
    }
    return render(request, "programs/needs/minutes_detail.html", context)


@staff_required("programs.add_councilminutes")
@require_http_methods(["GET", "POST"])
def minutes_create(request):
    form = CouncilMinutesForm(_data(request))
    minutes = _apply(request, form, lambda data: needs.council_minutes_create(by=request.user, **data))
    if minutes:
        messages.success(request, _("The minutes are saved."))
        return redirect("programs:minutes_detail", pk=minutes.pk)
    return _form_page(request, "programs/needs/minutes_form.html", {"minutes": None}, form)


@staff_required("programs.change_councilminutes")
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    minutes = get_object_or_404(CouncilMinutes, pk=pk)
    access.check(request.user, "programs.change_councilminutes", minutes)
    form = CouncilMinutesForm.for_minutes(minutes, _data(request))
    if _apply(request, form, lambda data: needs.council_minutes_update(minutes, by=request.user, **data)):
        messages.success(request, _("The minutes are saved."))
        return redirect("programs:minutes_detail", pk=minutes.pk)
    return _form_page(request, "programs/needs/minutes_form.html", {"minutes": minutes}, form)


# --------------------------------------------------------------------------- development orders (000 §2.6)


@staff_required("programs.view_developmentorder")
def order_list(request):
    orders = list(selectors.development_orders())
    return render(request, "programs/needs/order_list.html", {"orders": orders, "today": timezone.localdate()})


def _order_initial(request):
    """A new order from the council's minutes takes its proposed title."""
    minutes = CouncilMinutes.objects.filter(
        pk=request.GET.get("minutes") or 0, decision=CouncilDecision.DEVELOP
    ).first()
    if minutes is None:
        return {}
    lang = (translation.get_language() or "kk")[:2]
    title_field = "title_kk" if lang == "kk" else "title_ru"
    return {"minutes": minutes.pk, title_field: minutes.proposed_title}


@staff_required("programs.add_developmentorder")
@require_http_methods(["GET", "POST"])
def order_create(request):
    form = DevelopmentOrderForm(_data(request), initial=_order_initial(request))
    order = _apply(request, form, lambda data: needs.development_order_create(by=request.user, **data))
    if order:
        messages.success(request, _("The order is issued and the program's draft is created."))
        return redirect("programs:order_list")
    return _form_page(request, "programs/needs/order_form.html", {}, form)


@require_http_methods(["GET", "POST"])
@staff_required("programs.view_developmentorder")
def order_pdf(request, pk):
    order = get_object_or_404(selectors.development_orders(), pk=pk)
    access.check(request.user, "programs.view_developmentorder", order)
    # Keyed by its text: an order corrected after it was printed is a new file, never a stale one.
    return document_view(
        request,
        kind="programs.development_order",
        key=str(order.pk),
        filename=f"order-{order.pk}.pdf",
        template="programs/documents/development_order.html",
        context=lambda: needs.development_order_context(order),
        final=False,
    )


urlpatterns = [
    path("staff/needs/", home, name="needs_home"),
    path("staff/needs/surveys/", survey_list, name="survey_list"),
    path("staff/needs/surveys/new/", survey_create, name="survey_create"),
    path("staff/needs/surveys/<int:pk>/", survey_detail, name="survey_detail"),
    path("staff/needs/surveys/<int:pk>/edit/", survey_edit, name="survey_edit"),
    path("staff/needs/surveys/<int:pk>/open/", survey_open, name="survey_open"),
    path("staff/needs/surveys/<int:pk>/close/", survey_close, name="survey_close"),
    path("staff/needs/surveys/<int:pk>/questions/new/", question_add, name="question_add"),
    path("staff/needs/surveys/<int:pk>/questions/<int:question_pk>/", question_edit, name="question_edit"),
    path(
        "staff/needs/surveys/<int:pk>/questions/<int:question_pk>/remove/",
        question_remove,
        name="question_remove",
    ),
    path("staff/needs/surveys/<int:pk>/results/", survey_results, name="survey_results"),
    path("staff/needs/surveys/<int:pk>/results.xlsx", survey_export, name="survey_export"),
    path("staff/needs/reviews/", review_list, name="review_list"),
    path("staff/needs/reviews/new/", review_create, name="review_create"),
    path("staff/needs/reviews/<int:pk>/edit/", review_edit, name="review_edit"),
    path("staff/needs/minutes/", minutes_list, name="minutes_list"),
    path("staff/needs/minutes/new/", minutes_create, name="minutes_create"),
    path("staff/needs/minutes/<int:pk>/", minutes_detail, name="minutes_detail"),
    path("staff/needs/minutes/<int:pk>/edit/", minutes_edit, name="minutes_edit"),
    path("staff/needs/orders/", order_list, name="order_list"),
    path("staff/needs/orders/new/", order_create, name="order_create"),
    path("staff/needs/orders/<int:pk>/pdf/", order_pdf, name="order_pdf"),
    path("survey/<str:token>/", survey_answer, name="survey_answer"),
    path("survey/<str:token>/thanks/", survey_thanks, name="survey_thanks"),
]
