"""How long a certificate and its appendix take to render as PDF, against an empty page in the same process.

    .venv/bin/python bench/documents.py [--rounds 15]

Needs no database: the certificate is an unsaved one of the demo's 40-hour program (seed 004: six modules with
long Kazakh and Russian titles and the final assessment), printed from its snapshot by the same templates,
``document_context`` and ``html_to_pdf`` that issuing uses. ``bench/run.py --scenario documents`` runs it too.
Times are the process's CPU time (WeasyPrint runs in one thread), which other work on a shared machine
disturbs far less than wall-clock time. See bench/README.md.
"""

import argparse
import base64
import datetime
import itertools
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOLDERS = (
    "Нұрмұхамбетова-Сейітқазиева Гүлжаһан Ерғалиқызы",
    "Ли Ким",
    "Әбдіқадырова Айгүл Серікқызы",
    "Иванов Иван Иванович",
)
EMPTY_PAGE = '<!DOCTYPE html><html lang="kk"><head><meta charset="utf-8"><title>-</title></head><body></body></html>'


def sample_certificate():
    """An unsaved certificate of the demo's 40-hour program with its snapshot, as issuing makes it."""
    from django.conf import settings

    from certificates.models import AppendixLine, Certificate
    from certificates.snapshot import certificate_snapshot, credited
    from monitoring.demo.program_004 import MODULES, TITLE_KK, TITLE_RU
    from ziat.models import Organisation

    org = Organisation(
        name_kk="«ZIAT» ғылыми-әдістемелік орталығы» ЖШС",
        name_ru="ТОО «Научно-методический центр «ZIAT»»",
        head_name="С. Мұратова",
        registration_prefix="ZIAT",
    )
    grade = credited()
    lines = [
        AppendixLine(
            position=pos,
            module_title_kk=m["title_kk"],
            module_title_ru=m["title_ru"],
            hours=Decimal(sum(sum(hours) for _code, _title, *hours in m["topics"])),
            grade_kk=grade["kk"],
            grade_ru=grade["ru"],
            is_final_assessment=m["final"],
        )
        for pos, m in enumerate(MODULES, start=1)
    ]
    certificate = Certificate(
        registration_number="ZIAT-2026-00017",
        year=2026,
        sequence=17,
        token="b" * 43,
        holder_name="Нұрмұхамбетова-Сейітқазиева Гүлжаһан Ерғалиқызы",
        program_title_kk=TITLE_KK,
        program_title_ru=TITLE_RU,
        hours=sum(line.hours for line in lines),
        issued_on=datetime.date(2026, 3, 10),
        valid_until=datetime.date(2029, 3, 10),
    )
    certificate.snapshot = certificate_snapshot(certificate, lines, org)
    assert settings.SITE_URL
    return certificate


def measure(rounds=15):
    """CPU seconds (median of ``rounds``) of the certificate and its appendix, of an empty page made the same
    way (``html_to_pdf``) and of an empty page made by WeasyPrint with its defaults, rendered alternately after
    one warm-up of each."""
    from django.conf import settings
    from weasyprint import HTML

    from assessment.enums import Grade
    from certificates.documents import TEMPLATES, document_context
    from certificates.snapshot import in_languages
    from ziat.documents import html_to_pdf, render_html

    certificate = sample_certificate()
    lines = certificate.snapshot["modules"]
    # Listeners of one cohort: names of different lengths, each round another one and another token (so another
    # QR code), and the final assessment graded one of three ways (the modules "credited", the program's rule for
    # most programs); the program, and so the documents' forms (``ziat.pdf_forms``), is the same.
    holders = itertools.cycle(HOLDERS)
    finals = itertools.cycle([in_languages(grade) for grade in (Grade.EXCELLENT, Grade.GOOD, Grade.SATISFACTORY)])
    tokens = itertools.count()
    grades = random.Random(2026)

    def documents():
        certificate.token = f"{next(tokens):043d}"
        certificate.snapshot["holder"] = next(holders)
        lines[-1]["grade"] = next(finals)
        for template in TEMPLATES.values():
            html_to_pdf(render_html(template, document_context(certificate), language="kk"))

    def own_grades():
        """A listener whose modules have grades of their own (from their test, or a trainer's): another mix of
        the three grades for every module each round."""
        kept = [line["grade"] for line in lines]
        for line in lines:
            line["grade"] = in_languages(grades.choice((Grade.EXCELLENT, Grade.GOOD, Grade.SATISFACTORY)))
        try:
            certificate.token = f"{next(tokens):043d}"
            certificate.snapshot["holder"] = next(holders)
            for template in TEMPLATES.values():
                html_to_pdf(render_html(template, document_context(certificate), language="kk"))
        finally:
            for line, grade in zip(lines, kept, strict=True):
                line["grade"] = grade

    programs = itertools.count()

    def first():
        """The first certificate of another program: its forms are made with it."""
        shared = certificate.snapshot["program_title"]
        certificate.snapshot["program_title"] = {code: f"{title} ({next(programs)})" for code, title in shared.items()}
        try:
            documents()
        finally:
            certificate.snapshot["program_title"] = shared

    def empty():
        html_to_pdf(EMPTY_PAGE)

    def weasyprint():
        HTML(string=EMPTY_PAGE, base_url=settings.BASE_DIR.as_uri() + "/").write_pdf()

    targets = {
        "empty": empty,
        "weasyprint": weasyprint,
        "first": first,
        "own_grades": own_grades,
        "documents": documents,
    }
    times = {name: [] for name in targets}
    for run in targets.values():
        run()
    for _ in range(rounds):
        for name, run in targets.items():
            began = time.process_time()
            run()
            times[name].append(time.process_time() - began)
    return {name: statistics.median(values) for name, values in times.items()}


def report(result, rounds):
    empty, plain, docs = result["empty"], result["weasyprint"], result["documents"]
    first, own = result["first"], result["own_grades"]
    return (
        f"documents: certificate + appendix {docs * 1000:.0f} ms; empty page {empty * 1000:.1f} ms; "
        f"ratio {docs / empty:.1f}\n"
        f"  (empty page with WeasyPrint's defaults {plain * 1000:.1f} ms, ratio {docs / plain:.1f}; modules graded "
        f"each their own way {own * 1000:.0f} ms, ratio {own / plain:.1f}; the first certificate of a program, its "
        f"forms made with it, {first * 1000:.0f} ms, ratio {first / plain:.1f}; CPU time, medians of {rounds} "
        "alternating rounds in one process; the demo's 40-hour program, 7 appendix lines, 4 listeners' names in turn)"
    )


def setup():
    """Django for rendering only: the test settings, with a database address that is never connected to."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ziat.settings.test")
    os.environ.setdefault("DATABASE_URL", "postgres://localhost/unused")
    # The QR code's signature: a key of the run's own instead of the one kept in the database.
    os.environ.setdefault("CERTIFICATE_SIGNING_KEY", base64.b64encode(os.urandom(32)).decode())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="alternations of the two targets (default 15)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    setup()
    print(report(measure(args.rounds), args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
