"""The staff's assessment pages of a program: the test bank (000 §2.11) and the assessment rules (004 §8).

Methodists, the director and trainers read them; those who may add bank versions import a bank, and
those who may change the rules edit the rules and the project rubric.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programs.models import Program
from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.excel import xlsx_response
from ziat.jobs import job_create, job_keep_input
from ziat.refusals import staff_required
from ziat.tasking import enqueue_on_commit

from .. import selectors
from ..forms import BankImportForm, SchemeForm, criterion_formset
from ..models import BankVersion
from ..services import bank
from ..services.scheme import MAX_CRITERIA, SchemeError, scheme_save
from ..tasks import import_bank

VIEW_BANK = "assessment.view_bankversion"
ADD_BANK = "assessment.add_bankversion"
VIEW_SCHEME = "assessment.view_assessmentscheme"
CHANGE_SCHEME = "assessment.change_assessmentscheme"


CRITERIA_PREFIX = "criteria"


def _program(request, program_pk, perm):
    program = get_object_or_404(Program, pk=program_pk)
    access.check(request.user, perm, program)
    return program


# --------------------------------------------------------------------------- the program's assessment page


def _assessment_page(request, program, *, form=None, failure=None, status=200):
    """The bank versions with their questions per module, the import form and the rules in brief."""
    versions = selectors.bank_versions_overview(program)
    modules = bank.bank_modules(program)
    numbers = sorted(set(modules).union(*(v.module_counts for v in versions)))
    for v in versions:
        v.module_cells = [v.module_counts.get(n, 0) for n in numbers]
    scheme = selectors.scheme_for(program)
    criteria = list(scheme.criteria.all()) if scheme.pk else []
    context = {
        "program": program,
        "versions": versions,
        "module_columns": [(n, modules.get(n, "")) for n in numbers],
        "modules": modules,
        "form": form or BankImportForm(),
        "failure": failure,
        "max_rows": bank.MAX_ROWS,
        "max_options": bank.MAX_OPTIONS,
        "scheme": scheme,
        "criteria": criteria,
        "rubric_total": selectors.rubric_total(scheme),
        "can_import": request.user.has_perm(ADD_BANK),
        "can_view_scheme": request.user.has_perm(VIEW_SCHEME),
    }
    return render(request, "assessment/bank/program.html", context, status=status)


@require_GET
@staff_required(VIEW_BANK)
def program_assessment(request, program_pk):
    return _assessment_page(request, _program(request, program_pk, VIEW_BANK))


@require_POST
@staff_required(ADD_BANK)
def bank_import(request, program_pk):
    """Import a bank as the next version; a bad file saves nothing and the page shows what is wrong (400)."""
    program = _program(request, program_pk, ADD_BANK)
    form = BankImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _assessment_page(request, program, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        # Every row is checked here, so a bad file is reported on this page at once; a task saves a good one.
        bank.bank_read(upload, program=program)
    except DomainError as e:
        failure = {"message": e.message, "report": getattr(e, "report", [])}
        return _assessment_page(request, program, form=form, failure=failure, status=400)
    job = job_create(
        kind="assessment.import_bank",
        title=_("Import of the test bank"),
        owner=request.user,
        next_url=reverse("assessment:program_assessment", args=[program.pk]),
        total=1,
    )
    job_keep_input(job, upload)
    enqueue_on_commit(import_bank, job.pk, program.pk, request.user.pk, form.cleaned_data["note"])
    return redirect("job", pk=job.pk)


@require_GET
@staff_required(VIEW_BANK)
def bank_template(request, program_pk):
    program = _program(request, program_pk, VIEW_BANK)
    return xlsx_response(bank.bank_template(program), f"test-bank-template-{program.pk}.xlsx")


def _version(request, program_pk, number, perm):
    version = get_object_or_404(
        BankVersion.objects.select_related("program", "created_by"), program_id=program_pk, number=number
    )
    access.check(request.user, perm, version)
    return version


@require_GET
@staff_required(VIEW_BANK)
def bank_export(request, program_pk, number):
    version = _version(request, program_pk, number, VIEW_BANK)
    return xlsx_response(bank.bank_export(version), f"test-bank-{program_pk}-v{version.number}.xlsx")


@require_GET
@staff_required(VIEW_BANK)
def bank_version(request, program_pk, number):
    """A version's questions by module, in Kazakh and Russian, with the correct options marked."""
    version = _version(request, program_pk, number, VIEW_BANK)
    modules = bank.bank_modules(version.program)
    groups = {}
    for question in selectors.bank_questions(version):
        groups.setdefault(question.module_number, []).append(question)
    context = {
        "program": version.program,
        "version": version,
        "groups": [(n, modules.get(n, ""), groups[n]) for n in sorted(groups)],
        "question_count": sum(len(qs) for qs in groups.values()),
    }
    return render(request, "assessment/bank/version.html", context)


# --------------------------------------------------------------------------- the assessment rules


def _scheme_initial(scheme):
    return {
        "has_project": scheme.has_project,
        "pass_from": scheme.project_pass_from,
        "good_from": scheme.project_good_from,
        "excellent_from": scheme.project_excellent_from,
        "module_grade_rule": scheme.module_grade_rule,
    }


def _criteria_initial(criteria):
    return [
        {
            "pk": c.pk,
            "name_kk": c.name_kk,
            "name_ru": c.name_ru,
            "description_kk": c.description_kk,
            "description_ru": c.description_ru,
            "max_points": c.max_points,
        }
        for c in criteria
    ]


@require_http_methods(["GET", "POST"])
@staff_required(VIEW_SCHEME)
def scheme_edit(request, program_pk):
    """The rules and the project rubric on one page, saved at once (004 §8)."""
    program = _program(request, program_pk, VIEW_SCHEME)
    scheme = selectors.scheme_for(program)
    criteria = list(scheme.criteria.all()) if scheme.pk else []
    can_change = request.user.has_perm(CHANGE_SCHEME)
    errors, status = [], 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        data = request.POST
        if "add" in data:
            # One more empty row; nothing is saved yet.
            data = data.copy()
            try:
                total = int(data.get(f"{CRITERIA_PREFIX}-TOTAL_FORMS", "0"))
            except ValueError:
                total = 0
            data[f"{CRITERIA_PREFIX}-TOTAL_FORMS"] = str(min(total + 1, MAX_CRITERIA))
        form = SchemeForm(data)
        formset = criterion_formset()(data, prefix=CRITERIA_PREFIX)
        if "add" not in data:
            if form.is_valid() and formset.is_valid():
                rows = [f.cleaned_data for f in formset if f.cleaned_data and not f.cleaned_data.get("delete")]
                try:
                    scheme_save(
                        program=program,
                        by=request.user,
                        has_project=form.cleaned_data["has_project"],
                        excellent_from=form.cleaned_data["excellent_from"],
                        good_from=form.cleaned_data["good_from"],
                        pass_from=form.cleaned_data["pass_from"],
                        module_grade_rule=form.cleaned_data["module_grade_rule"],
                        criteria=rows,
                    )
                except PermissionDeniedError:
                    raise
                except SchemeError as e:
                    errors = e.errors
                except DomainError as e:
                    errors = [e.message]
                else:
                    messages.success(request, _("The assessment rules are saved."))
                    return redirect("assessment:scheme_edit", program_pk=program.pk)
            status = 400
    else:
        form = SchemeForm(initial=_scheme_initial(scheme))
        formset = criterion_formset(1 if criteria else 5)(initial=_criteria_initial(criteria), prefix=CRITERIA_PREFIX)
    context = {
        "program": program,
        "scheme": scheme,
        "criteria": criteria,
        "rubric_total": selectors.rubric_total(scheme),
        "can_change": can_change,
        "form": form,
        "formset": formset,
        "errors": errors,
    }
    return render(request, "assessment/bank/scheme.html", context, status=status)


urlpatterns = [
    path("staff/assessment/programs/<int:program_pk>/", program_assessment, name="program_assessment"),
    path("staff/assessment/programs/<int:program_pk>/bank/import/", bank_import, name="bank_import"),
    path("staff/assessment/programs/<int:program_pk>/bank/template.xlsx", bank_template, name="bank_template"),
    path("staff/assessment/programs/<int:program_pk>/bank/<int:number>/", bank_version, name="bank_version"),
    path("staff/assessment/programs/<int:program_pk>/bank/<int:number>.xlsx", bank_export, name="bank_export"),
    path("staff/assessment/programs/<int:program_pk>/rules/", scheme_edit, name="scheme_edit"),
]
