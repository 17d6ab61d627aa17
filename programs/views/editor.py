"""The staff's program-content editor: one version read-only, its texts and plan edited, two versions compared."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.models import Organisation
from ziat.refusals import staff_required

from ..compare import SECTIONS, compare_versions
from ..enums import HOUR_FIELDS, Language, SectionLanguage
from ..forms.editor import PlanFormSet, VersionTextForm, plan_initial
from ..models import Program, ProgramVersion, Topic
from ..rules import check_duration
from ..selectors import plan_totals, program_version_numbers, version_for_display, version_with_plan
from ..services.content import version_plan_save, version_text_save
from ..services.workflow import version_is_editable

VIEW_PERMISSION = "programs.view_program"
EDIT_PERMISSION = "programs.change_programversion"


def _languages_of(program):
    """The section languages the program is taught in (000 §2.8 texts are kept per language)."""
    if program.language == Language.KK:
        return [SectionLanguage.KK]
    if program.language == Language.RU:
        return [SectionLanguage.RU]
    return [SectionLanguage.KK, SectionLanguage.RU]


def _other(language):
    return SectionLanguage.RU if language == SectionLanguage.KK else SectionLanguage.KK


def _in(obj, name, language):
    """``obj.<name>_<language>``, else the other language's value (then ``fallback`` is True)."""
    value = getattr(obj, f"{name}_{language}")
    if value:
        return value, False
    return getattr(obj, f"{name}_{_other(language)}"), True


def _columns():
    return [(name, Topic._meta.get_field(name).verbose_name) for name in HOUR_FIELDS]


def _plan_table(version, language):
    """The thematic plan's rows in ``language``, with per-module column sums (everything computed)."""
    modules = []
    for module in version.modules.all():
        sums = dict.fromkeys(HOUR_FIELDS, Decimal("0"))
        topics = []
        for topic in module.topics.all():
            for name in HOUR_FIELDS:
                sums[name] += getattr(topic, name)
            title, fallback = _in(topic, "title", language)
            topics.append(
                {
                    "topic": topic,
                    "title": title,
                    "fallback": fallback,
                    "hours": [getattr(topic, n) for n in HOUR_FIELDS],
                    "total": topic.total,
                }
            )
        title, fallback = _in(module, "title", language)
        content, content_fallback = _in(module, "content", language)
        modules.append(
            {
                "module": module,
                "title": title,
                "fallback": fallback,
                "content": content,
                "content_fallback": content_fallback,
                "topics": topics,
                "sums": [sums[n] for n in HOUR_FIELDS],
                "total": sum(sums.values(), Decimal("0")),
            }
        )
    return modules


def _duration(program, total):
    """(duration class label, problem message) of a plan of ``total`` academic hours (001 §23, 000 §3.5)."""
    try:
        found = check_duration(total, form_of_study=program.form_of_study, is_internship=program.is_internship)
    except DomainError as error:
        return None, error.message
    return found.label, ""


def _length(total, organisation):
    minutes = Decimal(total) * organisation.academic_hour_minutes
    return {
        "academic_hour": organisation.academic_hour_minutes,
        "minutes": minutes,
        "astronomical_hours": (minutes / 60).quantize(Decimal("0.01")),
    }


def _sections(text):
    """The ten sections of one ``VersionText`` (or None) for the read-only page."""
    out = []
    for section in SECTIONS:
        values = {name: (getattr(text, name) if text is not None else None) for name in section.fields}
        out.append({"section": section, "values": values, "empty": not any(values.values())})
    return out


@staff_required(VIEW_PERMISSION)
def version_detail(request, pk, number):
    try:
        version = version_for_display(pk, number)
    except ProgramVersion.DoesNotExist as error:
        raise Http404(_("There is no such version of this program.")) from error
    program = version.program
    texts = {t.language: t for t in version.texts.all()}
    languages = [lang for lang in SectionLanguage if lang.value in texts or lang in _languages_of(program)]
    totals = plan_totals(version)
    duration, duration_problem = _duration(program, totals.total)
    editable = (
        program.current_version_id == version.pk
        and version_is_editable(version)
        and request.user.has_perm(EDIT_PERMISSION)
    )
    numbers = program_version_numbers(program.pk)
    return render(
        request,
        "programs/version/detail.html",
        {
            "program": program,
            "version": version,
            "is_current": program.current_version_id == version.pk,
            "editable": editable,
            "languages": [
                {
                    "code": lang.value,
                    "label": lang.label,
                    "sections": _sections(texts.get(lang.value)),
                    "plan": _plan_table(version, lang.value),
                }
                for lang in languages
            ],
            "columns": _columns(),
            "column_totals": [totals.columns[n] for n in HOUR_FIELDS],
            "total": totals.total,
            "duration": duration,
            "duration_problem": duration_problem,
            "length": _length(totals.total, Organisation.current()),
            "other_numbers": [n for n in numbers if n != version.number],
        },
    )


def _editable_program(request, pk, perm):
    program = get_object_or_404(Program.objects.select_related("current_version"), pk=pk)
    access.check(request.user, perm, program)
    if program.current_version is None:
        raise Http404(_("This program has no version to edit yet."))
    program.current_version.program = program
    return program, program.current_version


def _read_only(request, program, version, template, context=None):
    return render(
        request,
        template,
        {"program": program, "version": version, "read_only": True, **(context or {})},
    )


@staff_required(EDIT_PERMISSION)
def version_edit(request, pk):
    """The text sections of the current version, one language at a time (a tab per language)."""
    program, version = _editable_program(request, pk, EDIT_PERMISSION)
    languages = _languages_of(program)
    extra = [lang for lang in SectionLanguage if lang not in languages and version.texts.filter(language=lang).exists()]
    languages = [*languages, *extra]
    requested = request.GET.get("lang") or request.POST.get("lang")
    language = next((lang for lang in languages if lang.value == requested), languages[0])
    context = {
        "language": language,
        "tabs": [{"code": lang.value, "label": lang.label} for lang in languages],
    }
    if not version_is_editable(version):
        return _read_only(request, program, version, "programs/version/edit.html", context)
    text = version.texts.filter(language=language).first()
    if request.method == "POST":
        form = VersionTextForm(request.POST)
        if form.is_valid():
            try:
                version_text_save(version, by=request.user, language=language.value, data=form.data_for_service())
            except PermissionDeniedError:
                raise
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The text (%(language)s) is saved.") % {"language": language.label})
                return redirect(f"{reverse('programs:version_edit', args=[program.pk])}?lang={language.value}")
    else:
        form = VersionTextForm(text=text)
    return render(
        request,
        "programs/version/edit.html",
        {"program": program, "version": version, "form": form, "read_only": False, **context},
    )


def _mark_saved_rows(formset, version):
    """Tell the grid which rows are saved modules (their hours are shown, computed) and saved topics."""
    hours = {f"m{module.pk}": module.hours for module in version.modules.all()}
    for form in formset.forms:
        row = form["row"].value() or ""
        form.saved_kind = "module" if row in hours else "topic" if row.startswith("t") else ""
        form.saved_hours = hours.get(row)


@staff_required(EDIT_PERMISSION)
def plan_edit(request, pk):
    """The grid of the thematic plan: module rows and their topic rows, saved in one request."""
    program, _version = _editable_program(request, pk, EDIT_PERMISSION)
    version = version_with_plan(program.current_version_id)
    totals = plan_totals(version)
    duration, duration_problem = _duration(program, totals.total)
    context = {
        "columns": _columns(),
        "totals": totals,
        "column_summary": [(label, totals.columns[name]) for name, label in _columns()],
        "duration": duration,
        "duration_problem": duration_problem,
        "length": _length(totals.total, Organisation.current()),
        "module_hours": [
            (module.title, totals.modules[module.pk], module.is_final_assessment) for module in version.modules.all()
        ],
    }
    if not version_is_editable(version):
        return _read_only(request, program, version, "programs/version/plan_edit.html", context)
    error = ""
    if request.method == "POST":
        formset = PlanFormSet(request.POST)
        if formset.is_valid():
            try:
                version_plan_save(version, by=request.user, modules=formset.modules)
            except PermissionDeniedError:
                raise
            except DomainError as failure:
                error = failure.message
            else:
                messages.success(request, _("The plan is saved."))
                return redirect("programs:plan_edit", pk=program.pk)
    else:
        formset = PlanFormSet(initial=plan_initial(version))
    _mark_saved_rows(formset, version)
    return render(
        request,
        "programs/version/plan_edit.html",
        {"program": program, "version": version, "formset": formset, "error": error, "read_only": False, **context},
    )


def _version_number(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@staff_required(VIEW_PERMISSION)
def compare(request, pk):
    """Two versions of a program side by side: sections per language, modules and topics with their hours."""
    program = get_object_or_404(Program.objects.select_related("current_version__based_on"), pk=pk)
    access.check(request.user, VIEW_PERMISSION, program)
    numbers = program_version_numbers(program.pk)
    context = {"program": program, "numbers": numbers, "comparison": None, "error": ""}
    raw_a, raw_b = request.GET.get("a"), request.GET.get("b")
    if raw_a is None and raw_b is None:
        current = program.current_version
        context["a"] = current.based_on.number if current and current.based_on else (numbers[-2:] or [None])[0]
        context["b"] = current.number if current else None
        return render(request, "programs/version/compare.html", context)
    a, b = _version_number(raw_a), _version_number(raw_b)
    context.update(a=a, b=b)
    if a is None or b is None:
        context["error"] = _("Choose two versions of the program to compare: their numbers are missing or not numbers.")
        return render(request, "programs/version/compare.html", context, status=400)
    missing = [n for n in (a, b) if n not in numbers]
    if missing:
        context["error"] = _("The program has no version %(numbers)s.") % {
            "numbers": ", ".join(str(n) for n in missing)
        }
        return render(request, "programs/version/compare.html", context, status=404)
    if a == b:
        context["error"] = _("Choose two different versions to compare.")
        return render(request, "programs/version/compare.html", context, status=400)
    old, new = version_for_display(program.pk, a), version_for_display(program.pk, b)
    context["comparison"] = compare_versions(old, new)
    context["columns"] = _columns()
    return render(request, "programs/version/compare.html", context)


urlpatterns = [
    path("staff/programs/<int:pk>/versions/<int:number>/", version_detail, name="version_detail"),
    path("staff/programs/<int:pk>/edit/", version_edit, name="version_edit"),
    path("staff/programs/<int:pk>/edit/plan/", plan_edit, name="plan_edit"),
    path("staff/programs/<int:pk>/compare/", compare, name="compare"),
]
