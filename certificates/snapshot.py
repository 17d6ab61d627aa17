"""What a certificate prints, taken once at issue (000 App. 1-2, 001 App. 3-4): the documents, the
verification page and the exports read this and never the live listener, program or organisation."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from assessment.enums import Grade
from assessment.services.module_rules import CREDITED

LANGUAGES = ("kk", "ru")
_LABELS = (*Grade, CREDITED)


def in_languages(label):
    """{"kk": ..., "ru": ...} of a lazily translated text."""
    out = {}
    for code in LANGUAGES:
        with translation.override(code):
            out[code] = str(label.label if hasattr(label, "label") else label)
    return out


def _known_labels():
    """Every way a standard grade is written, in any of the interface's languages, to its label."""
    known = {}
    for label in _LABELS:
        for code in (*LANGUAGES, "en"):
            with translation.override(code):
                known[str(label.label if hasattr(label, "label") else label).casefold()] = label
    return known


def grade_languages(text):
    """A grade's text in Kazakh and Russian: a standard grade in either language (or both, "kk / ru") is
    translated; a grade entered by hand in both ("5 / отлично") is split; anything else is printed as is."""
    text = " ".join(str(text or "").split())
    known = _known_labels()
    parts = [p.strip() for p in text.split(" / ")] if " / " in text else [text]
    labels = {known.get(p.casefold()) for p in parts}
    if len(labels) == 1 and None not in labels:
        return in_languages(labels.pop())
    if len(parts) == 2:
        return {"kk": parts[0], "ru": parts[1]}
    return {"kk": text, "ru": text}


def credited():
    return in_languages(CREDITED)


def organisation_snapshot(org):
    return {
        "name": {"kk": org.name_kk, "ru": org.name_ru},
        "city": {"kk": org.city_kk, "ru": org.city_ru},
        "head_title": {"kk": org.head_title_kk, "ru": org.head_title_ru},
        "head_name": org.head_name,
        "logo": org.logo.name if org.logo else "",
        "registration_prefix": org.registration_prefix,
    }


def certificate_snapshot(certificate, lines, org):
    """The printed fields of ``certificate`` and its appendix ``lines`` as plain JSON."""
    return {
        "registration_number": certificate.registration_number,
        "issued_on": certificate.issued_on.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "holder": certificate.holder_name,
        "program_title": {"kk": certificate.program_title_kk, "ru": certificate.program_title_ru},
        "hours": _number(certificate.hours),
        "modules": [
            {
                "position": line.position,
                "title": {"kk": line.module_title_kk, "ru": line.module_title_ru},
                "hours": _number(line.hours),
                "grade": {"kk": line.grade_kk, "ru": line.grade_ru},
                "final_assessment": line.is_final_assessment,
            }
            for line in lines
        ],
        "organisation": organisation_snapshot(org),
        "verification_url": certificate.verification_url,
    }


def _number(value):
    """Hours as printed: 40, 1.5."""
    text = format(value.normalize(), "f")
    return text


FINAL_ASSESSMENT = _("Final assessment")
