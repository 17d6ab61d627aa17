"""No form ever shows a database constraint's raw text: every constraint a form validates speaks the user's language.

The walk imports every app's forms and builds every back-office form, finds the constraints of each form's model that
the form validates (those whose fields are all in the form), and asserts that each one that Django would report as
'Constraint "<name>" is violated.' carries a translated message.
"""

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.db.models import CheckConstraint, UniqueConstraint
from django.test import RequestFactory

from tests.factories import staff_user

PROJECT_APPS = ("ziat", "programs", "enrolment", "assessment", "certificates", "postcourse", "monitoring")


def _import_forms():
    for label in PROJECT_APPS:
        module = apps.get_app_config(label).module
        for name in ("forms", "admin"):
            try:
                package = importlib.import_module(f"{module.__name__}.{name}")
            except ModuleNotFoundError:
                continue
            for info in pkgutil.walk_packages(getattr(package, "__path__", []), package.__name__ + "."):
                importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_model_forms():
    _import_forms()
    found = {}
    for form_class in _subclasses(forms.ModelForm):
        meta = getattr(form_class, "_meta", None)
        if meta is None or meta.model is None or meta.model._meta.app_label not in PROJECT_APPS:
            continue
        if form_class.__module__.split(".")[0] not in PROJECT_APPS:
            continue
        found[f"{form_class.__module__}.{form_class.__qualname__}"] = form_class
    return found


def _admin_forms():
    request = RequestFactory().get("/")
    request.user = staff_user("director", is_superuser=True)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        # Lifecycle records are read-only in the back-office: no form of theirs is ever submitted.
        if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
            continue
        yield f"admin:{model._meta.label}", model_admin.get_form(request)


def _raw_message_constraints(form_class):
    """The model's constraints that the form validates and that have no message of their own."""
    model = form_class._meta.model
    form_fields = set(form_class.base_fields)
    for constraint in model._meta.constraints:
        if not isinstance(constraint, CheckConstraint | UniqueConstraint):
            continue
        if constraint.violation_error_message != constraint.default_violation_error_message:
            continue
        if isinstance(constraint, UniqueConstraint) and constraint.fields and not constraint.condition:
            # Reported as Django's translated "… with this … already exists."
            continue
        if isinstance(constraint, CheckConstraint):
            names = {f.split("__")[0] for f in _q_fields(constraint.condition)}
        else:
            names = set(constraint.fields) | {f.split("__")[0] for f in _q_fields(constraint.condition)}
        names = {model._meta.get_field(n).name for n in names if _is_field(model, n)}
        if names and names <= form_fields | _always_set(form_class):
            yield constraint.name


def _is_field(model, name):
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def _always_set(form_class):
    return set()


def _q_fields(q):
    if q is None:
        return
    for child in getattr(q, "children", [q]):
        if isinstance(child, tuple):
            yield child[0]
        elif hasattr(child, "children"):
            yield from _q_fields(child)
        else:
            for ref in getattr(child, "flatten", lambda: [])():
                if hasattr(ref, "name") and type(ref).__name__ == "F":
                    yield ref.name


@pytest.mark.django_db
def test_no_form_can_show_a_raw_constraint_name():
    offenders = {}
    walked = dict(project_model_forms())
    walked.update(_admin_forms())
    # The walk reaches the public, cabinet, partner and back-office forms.
    assert {"enrolment.forms.requests.TeacherForm", "admin:ziat.Organisation", "admin:enrolment.Partner"} <= set(walked)
    for label, form_class in walked.items():
        names = sorted(_raw_message_constraints(form_class))
        if names:
            offenders[label] = names
    assert offenders == {}, "\n".join(f"{k}: {v}" for k, v in sorted(offenders.items()))
