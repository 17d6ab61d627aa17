"""The assessment records for reading: the bank, tests, attempts, works and results change on staff pages."""

from django.contrib import admin

from ziat.admin_mixins import ReadOnlyAdmin, ReadOnlyTabularInline

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


@admin.register(FinalResult)
class FinalResultAdmin(ReadOnlyAdmin):
    """Typed on the cohort's results sheet (a staff page) or scored by the server from an online attempt."""

    list_display = ("enrolment", "score", "recorded_by", "recorded_at")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort", "recorded_by")
    search_fields = ("enrolment__listener__user__last_name", "enrolment__cohort__code")


@admin.register(ModuleGrade)
class ModuleGradeAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "module", "grade", "source")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort", "module")
    search_fields = ("enrolment__listener__user__last_name", "enrolment__cohort__code")


class QuestionInline(ReadOnlyTabularInline):
    model = Question
    fields = ("position", "module_number", "kind", "weight", "text_kk", "text_ru")
    extra = 0


@admin.register(BankVersion)
class BankVersionAdmin(ReadOnlyAdmin):
    list_display = ("program", "number", "created_by", "created_at")
    list_select_related = ("program", "created_by")
    inlines = [QuestionInline]


@admin.register(CohortTest)
class CohortTestAdmin(ReadOnlyAdmin):
    list_display = ("cohort", "kind", "opens_at", "closes_at", "time_limit_minutes")
    list_select_related = ("cohort__program",)
    list_filter = ("kind",)


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "test", "started_at", "submitted_at", "submitted_by", "score")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort", "test__cohort")
    search_fields = ("enrolment__listener__user__last_name", "enrolment__cohort__code")


@admin.register(Reassessment)
class ReassessmentAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "test", "opens_at", "closes_at", "granted_by")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort", "test__cohort", "granted_by")


class RubricInline(ReadOnlyTabularInline):
    model = RubricCriterion
    fields = ("position", "name_kk", "name_ru", "max_points")
    extra = 0


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(ReadOnlyAdmin):
    list_display = ("program", "has_project", "module_grade_rule")
    list_select_related = ("program",)
    inlines = [RubricInline]


@admin.register(ProjectWork)
class ProjectWorkAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "title", "submitted_at", "points", "scored_by")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort", "scored_by")


@admin.register(ExternalAssessment)
class ExternalAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "held_on", "assessor", "result", "passed")
    list_select_related = ("enrolment__listener__user", "enrolment__cohort")
