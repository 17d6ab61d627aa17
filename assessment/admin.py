from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from enrolment.models import Cohort
from ziat import access
from ziat.errors import DomainError

from .models import (
    AssessmentScheme,
    Attempt,
    BankVersion,
    CohortTest,
    ExternalAssessment,
    FinalResult,
    ModuleGrade,
    ProjectWork,
    Question,
    Reassessment,
    RubricCriterion,
)
from .outcomes import cohort_outcomes
from .services import final_results_record


@admin.register(FinalResult)
class FinalResultAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "score", "recorded_by", "recorded_at")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort", "recorded_by")
    search_fields = ("enrolment__listener__user__last_name", "enrolment__cohort__code")
    readonly_fields = ("enrolment", "score", "recorded_by", "recorded_at")

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        return [
            path("cohort/<int:pk>/", self.admin_site.admin_view(self.results_view), name="assessment_cohort_results"),
            *super().get_urls(),
        ]

    def results_view(self, request, pk):
        """Final test scores of a cohort with each listener's attendance and outcome."""
        cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=pk)
        access.check(request.user, "assessment.view_finalresult", cohort)
        errors, typed = {}, {}
        if request.method == "POST":
            access.check(request.user, "assessment.change_finalresult", cohort)
            typed = {
                int(key[6:]): value
                for key, value in request.POST.items()
                if key.startswith("score-") and key[6:].isdigit()
            }
            try:
                errors = final_results_record(cohort=cohort, scores=typed, by=request.user)
            except DomainError as e:
                self.message_user(request, e.message, messages.ERROR)
            else:
                if not errors:
                    self.message_user(request, _("Results saved."))
                    return redirect(request.path)
                self.message_user(request, _("Nothing was saved: correct the marked scores."), messages.ERROR)
        outcomes = cohort_outcomes(cohort)
        rows = [
            (o, typed.get(o.enrolment.pk, "" if o.score is None else o.score), errors.get(o.enrolment.pk))
            for o in outcomes
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Final results: %(cohort)s") % {"cohort": cohort.code},
            "cohort": cohort,
            "rows": rows,
            "opts": self.model._meta,
            "can_change": request.user.has_perm("assessment.change_finalresult"),
        }
        return TemplateResponse(request, "assessment/cohort/results.html", context)


@admin.register(ModuleGrade)
class ModuleGradeAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "module", "grade")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort", "module")


class ReadOnly:
    """The records of the bank, tests, attempts and works, for reading: they change on the staff pages,
    where the regulation's rules are checked."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordAdmin(ReadOnly, admin.ModelAdmin):
    pass


class QuestionInline(ReadOnly, admin.TabularInline):
    model = Question
    fields = ("position", "module_number", "kind", "weight", "text_kk", "text_ru")
    extra = 0


@admin.register(BankVersion)
class BankVersionAdmin(RecordAdmin):
    list_display = ("program", "number", "created_by", "created_at")
    list_select_related = ("program", "created_by")
    inlines = [QuestionInline]


@admin.register(CohortTest)
class CohortTestAdmin(RecordAdmin):
    list_display = ("cohort", "kind", "opens_at", "closes_at", "time_limit_minutes")
    list_select_related = ("cohort__program",)
    list_filter = ("kind",)


@admin.register(Attempt)
class AttemptAdmin(RecordAdmin):
    list_display = ("enrolment", "test", "started_at", "submitted_at", "submitted_by", "score")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort", "test__cohort")
    search_fields = ("enrolment__listener__user__last_name", "enrolment__cohort__code")


@admin.register(Reassessment)
class ReassessmentAdmin(RecordAdmin):
    list_display = ("enrolment", "test", "opens_at", "closes_at", "granted_by")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort", "test__cohort", "granted_by")


class RubricInline(ReadOnly, admin.TabularInline):
    model = RubricCriterion
    fields = ("position", "name_kk", "name_ru", "max_points")
    extra = 0


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(RecordAdmin):
    list_display = ("program", "has_project", "module_grade_rule")
    list_select_related = ("program",)
    inlines = [RubricInline]


@admin.register(ProjectWork)
class ProjectWorkAdmin(RecordAdmin):
    list_display = ("enrolment", "title", "submitted_at", "points", "scored_by")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort", "scored_by")


@admin.register(ExternalAssessment)
class ExternalAssessmentAdmin(RecordAdmin):
    list_display = ("enrolment", "held_on", "assessor", "result", "passed")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort")
