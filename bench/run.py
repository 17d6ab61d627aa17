"""Throughput of two pages against a bare view, served by gunicorn over PostgreSQL.

    DATABASE_URL=postgres://user@host:5432/anything .venv/bin/python bench/run.py [--fresh] [--duration 5]

Uses its own database ``ziat_bench`` on the server of DATABASE_URL (created when missing, filled with
10,000 issued certificates and reused while it still holds them), starts gunicorn on a free port of
127.0.0.1 and, alternately with ``/bench/bare/`` from the same clients:

- verify: loads ``/verify/<token>/`` with keep-alive HTTP clients and prints requests per second, their
  ratio to the bare view and the number of SQL queries of one verify page;
- test: 100 logged-in listeners save answers of a 25-question test at once (bench/taking.py) and it prints
  answers saved per second, their ratio to the bare view and the SQL queries of one saved answer.

See bench/README.md.
"""

import argparse
import collections
import datetime
import http.client
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "ziat_bench"
CERTIFICATES = 10_000
MODULES = 6
BATCH = 2_000
HOST = "127.0.0.1"
BARE_PATH = "/bench/bare/"
VALID_MARKER = b'data-state="valid"'
MAX_REQUESTS_PER_CLIENT = 1_000_000  # a bound on every load loop besides its deadline
MAIN_PROGRAM_RU = "Бенчмарк: профессиональный рост педагога"
EXPORT_ROWS = 20_000
EXPORT_BASELINE_ROWS = 200

LAST_NAMES = ["Сәрсенова", "Ахметов", "Жұмабаева", "Нұрланов", "Қасымова", "Серікбаев", "Омарова", "Тоқтаров"]
FIRST_NAMES = ["Әйгерім", "Ерлан", "Гүлнар", "Дәурен", "Мадина", "Асқар", "Жанар", "Бауыржан", "Сәуле", "Нұржан"]


def say(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- database
def with_database(url, name):
    """DATABASE_URL with another database name (host, port, user and options kept)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def libpq_url(url):
    """django-environ accepts postgres://, postgresql://, pgsql://; libpq wants postgresql://."""
    return urlunsplit(urlsplit(url)._replace(scheme="postgresql"))


def certificates_ready(bench_url):
    """True when the bench database already holds the certificates this script makes, still valid."""
    import psycopg

    try:
        with psycopg.connect(libpq_url(bench_url), connect_timeout=10) as conn:
            certificates, lines = conn.execute(
                "SELECT (SELECT count(*) FROM certificates_certificate"
                "        WHERE revoked_at IS NULL AND valid_until > current_date + 1),"
                "       (SELECT count(*) FROM certificates_appendixline)"
            ).fetchone()
    except psycopg.Error:
        return False  # no database or no tables yet
    return certificates == CERTIFICATES + 1 and lines == CERTIFICATES * MODULES + 1


def recreate_database(database_url, name=BENCH_DB):
    import psycopg
    from psycopg import sql

    maintenance = libpq_url(with_database(database_url, "postgres"))
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- data (inside Django)
def populate():
    """10,000 listeners, each enrolled and holding a certificate with 6 appendix lines, plus one with 1 line."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from certificates.models import AppendixLine, Certificate, RegisterSequence
    from certificates.services import new_token
    from enrolment.models import Cohort, Enrolment, Listener
    from programs.enums import ProgramStatus
    from programs.models import Module, Program, ProgramVersion, Topic
    from ziat.dates import add_years
    from ziat.models import Organisation

    User = get_user_model()
    issued_on = timezone.localdate() - datetime.timedelta(days=30)
    valid_until = add_years(issued_on, 3)
    year = issued_on.year

    def program(title_kk, title_ru, modules):
        prog = Program.objects.create(title_kk=title_kk, title_ru=title_ru)
        version = ProgramVersion.objects.create(program=prog, number=1, frozen=True)
        for pos in range(1, modules + 1):
            module = Module.objects.create(
                version=version, position=pos, title_kk=f"{pos}-модуль: әдістеме", title_ru=f"Модуль {pos}: методика"
            )
            Topic.objects.create(
                module=module,
                position=1,
                code=f"{pos}.1",
                title_ru=f"Тема {pos}.1",
                lecture=Decimal(6),
                case=Decimal(6),
            )
        prog.current_version = prog.approved_version = version
        prog.status = ProgramStatus.APPROVED
        prog.approved_on = issued_on - datetime.timedelta(days=90)
        prog.save()
        cohort = Cohort.objects.create(
            program=prog,
            version=version,
            code=f"BENCH-{modules}",
            starts_on=issued_on - datetime.timedelta(days=14),
            ends_on=issued_on - datetime.timedelta(days=1),
            capacity=CERTIFICATES,
        )
        return prog, cohort

    def listeners(first, count, prefix):
        users = []
        for i in range(first, first + count):
            user = User(
                username=f"{prefix}{i:05d}",
                last_name=LAST_NAMES[i % len(LAST_NAMES)],
                first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
            )
            user.set_unusable_password()  # no hashing
            users.append(user)
        users = User.objects.bulk_create(users, batch_size=BATCH)
        return Listener.objects.bulk_create(
            [Listener(user=u, iin=f"85{first + n:010d}") for n, u in enumerate(users)], batch_size=BATCH
        )

    def certify(cohort, prog, people, first_sequence, modules):
        enrolments = Enrolment.objects.bulk_create([Enrolment(cohort=cohort, listener=p) for p in people], BATCH)
        certificates = Certificate.objects.bulk_create(
            [
                Certificate(
                    enrolment=e,
                    registration_number=f"{org.registration_prefix}-{year}-{first_sequence + n:05d}",
                    year=year,
                    sequence=first_sequence + n,
                    token=new_token(),
                    holder_name=p.user.full_name,
                    program_title_kk=prog.title_kk,
                    program_title_ru=prog.title_ru,
                    hours=Decimal(12 * modules),
                    issued_on=issued_on,
                    valid_until=valid_until,
                    issued_by=director,
                )
                for n, (e, p) in enumerate(zip(enrolments, people, strict=True))
            ],
            batch_size=BATCH,
        )
        AppendixLine.objects.bulk_create(
            (
                AppendixLine(
                    certificate=c,
                    position=pos,
                    module_title_kk=f"{pos}-модуль: әдістеме",
                    module_title_ru=f"Модуль {pos}: методика",
                    hours=Decimal(12),
                    grade="сынақ тапсырылды / зачтено",
                )
                for c in certificates
                for pos in range(1, modules + 1)
            ),
            batch_size=BATCH * 3,
        )

    with transaction.atomic():
        org, _ = Organisation.objects.update_or_create(
            pk=1,
            defaults={
                "name_kk": "«ZIAT» ғылыми-әдістемелік орталығы",
                "name_ru": "Научно-методический центр «ZIAT»",
                "head_name": "С. Мұратова",
            },
        )
        director = User(username="bench-director", last_name="Мұратова", first_name="Сәуле", is_staff=True)
        director.set_unusable_password()
        director.save()
        main, main_cohort = program("Бенчмарк: педагогтің кәсіби өсуі", MAIN_PROGRAM_RU, MODULES)
        single, single_cohort = program("Бенчмарк: бір модуль", "Бенчмарк: один модуль", 1)
        certify(main_cohort, main, listeners(1, CERTIFICATES, "bench"), 1, MODULES)
        certify(single_cohort, single, listeners(CERTIFICATES + 1, 1, "bench"), CERTIFICATES + 1, 1)
        RegisterSequence.objects.update_or_create(
            register="certificate", year=year, defaults={"last": CERTIFICATES + 1}
        )


def query_counts():
    """SQL queries of one verify page (after a warm-up request) for a 6-module and a 1-module certificate."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from certificates.models import Certificate

    client = Client(HTTP_HOST=HOST)
    counts = {}
    # Sequence 1 is one of the 10,000 six-module certificates; the last one has a single module.
    for modules, sequence in ((MODULES, 1), (1, CERTIFICATES + 1)):
        path = Certificate.objects.get(sequence=sequence).verification_path
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        if response.status_code != 200 or VALID_MARKER not in response.content:
            raise SystemExit(f"bench: {path} did not render a valid certificate (status {response.status_code})")
        counts[modules] = [q["sql"] for q in ctx.captured_queries]
    return counts


def export_memory(rows, baseline_rows=EXPORT_BASELINE_ROWS):
    """Peak memory (tracemalloc, MiB) of an Excel export of ``rows`` and of ``baseline_rows`` rows through
    ziat.excel.workbook, the rows made as they are written (a generator), as an export's caller gives them."""
    import gc
    import tracemalloc

    from ziat.excel import workbook

    header = ["№", "Listener", "IIN", "Cohort", "Program", "Invoice", "Date", "Amount", "Paid", "Balance"]

    def lines(count):
        day = datetime.date(2026, 3, 2)
        for n in range(1, count + 1):
            yield [
                n,
                f"{LAST_NAMES[n % len(LAST_NAMES)]} {FIRST_NAMES[n % len(FIRST_NAMES)]} {n}",
                f"85{n:010d}",
                f"C-{n % 40:03d}",
                MAIN_PROGRAM_RU,
                f"INV-{n:06d}",
                day + datetime.timedelta(days=n % 300),
                Decimal("45000.00"),
                Decimal(n % 45000),
                Decimal("45000.00") - Decimal(n % 45000),
            ]

    peaks = {}
    for count in (baseline_rows, rows):
        gc.collect()
        tracemalloc.start()
        size = len(workbook([("Export", header, lines(count))]))
        peaks[count] = (tracemalloc.get_traced_memory()[1] / 2**20, size / 2**20)
        tracemalloc.stop()
    return peaks


# --------------------------------------------------------------------------- server
def start_gunicorn(port, workers, env, log):
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "bench.wsgi:application",
        "--preload",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        "--error-logfile",
        "-",
    ]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def wait_until_up(proc, port, log_path, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", BARE_PATH)
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    print(Path(log_path).read_text(errors="replace")[-3000:], file=sys.stderr)
    raise SystemExit("bench: gunicorn did not answer")


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --------------------------------------------------------------------------- load
def load(port, make_path, check, clients, duration, seed, make_request=None):
    """``clients`` threads, each on its own keep-alive connection, until ``duration`` seconds are over.

    Each request is a GET of ``make_path(rng)``, or ``make_request(n, rng)`` -> (method, path, body, headers)
    for client number ``n``. Returns (good responses, bad responses, connection errors, elapsed seconds,
    a Counter of the bad responses' statuses). gunicorn's sync workers close the connection after each
    response; http.client then reconnects for the next request.
    """
    totals = {"good": 0, "bad": 0, "errors": 0}
    bad_statuses = collections.Counter()
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + duration

    def client(n):
        rng = random.Random(seed * 1000 + n)
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        good = bad = errors = 0
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                break
            if make_request is None:
                method, path, body, headers = "GET", make_path(rng), None, {}
            else:
                method, path, body, headers = make_request(n, rng)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                continue
            if response.status == 200 and check(body):
                good += 1
            else:
                bad += 1
                with lock:
                    bad_statuses[response.status] += 1
        conn.close()
        with lock:
            totals["good"] += good
            totals["bad"] += bad
            totals["errors"] += errors

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 30)
    return totals["good"], totals["bad"], totals["errors"], time.monotonic() - start, bad_statuses


# --------------------------------------------------------------------------- main
def measure(port, targets, clients, duration, rounds):
    """Alternate the targets ``rounds`` times after a short warm-up; totals per target.

    ``targets`` maps a name to (make_path, check, make_request or None).
    """
    say("warming up")
    for make_path, check, make_request in targets.values():
        _good, bad, _errors, _elapsed, statuses = load(
            port, make_path, check, clients, 1.5, seed=0, make_request=make_request
        )
        if bad:
            say(f"  warm-up: {bad} bad responses, statuses {dict(statuses)}")
    results = {name: [0, 0, 0, 0.0] for name in targets}
    for r in range(1, rounds + 1):
        for name, (make_path, check, make_request) in targets.items():
            good, bad, errors, elapsed, statuses = load(
                port, make_path, check, clients, duration, seed=r, make_request=make_request
            )
            say(f"  round {r} {name:6}: {good / elapsed:7.0f} req/s ({good} ok, {bad} bad, {errors} errors)")
            if bad:
                say(f"    statuses of the bad responses: {dict(statuses)}")
            for i, value in enumerate((good, bad, errors, elapsed)):
                results[name][i] += value
    return results


def rates(results):
    return {name: good / elapsed for name, (good, _b, _e, elapsed) in results.items()}


def failures(results):
    return sum(bad + errors for _g, bad, errors, _e in results.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement (default 5)")
    parser.add_argument("--rounds", type=int, default=2, help="bare/target alternations (default 2)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients of the verify page (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--scenario",
        choices=["all", "verify", "test", "excel", "documents", "issuing", "monitoring"],
        default="all",
        help="verify: the public verification page; test: listeners saving test answers; excel: the memory of "
        "an Excel export (default all: these three); documents: a certificate's PDFs against an empty page "
        "(bench/documents.py, no database); issuing: a cohort's certificates by 1 and by 2 workers; monitoring: "
        "the director's dashboard over 500 cohorts against the bare view, in process",
    )
    parser.add_argument("--database", default=BENCH_DB, help=f"the bench database's name (default {BENCH_DB})")
    parser.add_argument("--fresh", action="store_true", help="drop and refill the bench database")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the SQL of the measured requests")
    args = parser.parse_args()
    if args.duration <= 0 or min(args.rounds, args.clients, args.workers) < 1:
        parser.error("--duration must be positive; --rounds, --clients and --workers at least 1")
    if args.scenario == "documents":
        sys.path.insert(0, str(ROOT))
        from bench import documents

        return documents.main([])
    scenarios = ["verify", "test", "excel"] if args.scenario == "all" else [args.scenario]

    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        raise SystemExit("bench: set DATABASE_URL to a PostgreSQL server (make bench does)")
    bench_url = with_database(database_url, args.database)
    port = free_port()
    static_root = tempfile.mkdtemp(prefix="ziat-bench-static-")
    os.environ.update(
        DATABASE_URL=bench_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},localhost",
        SECURE_SSL_REDIRECT="false",
        SITE_URL=f"http://{HOST}:{port}",
        # Production settings on one machine: the local address is meant, and every client comes from it.
        ALLOW_LOCAL_SITE_URL="true",
        RATE_LIMIT_VERIFY="1000000000/s",
        BENCH_STATIC_ROOT=static_root,
        MEDIA_ROOT=os.path.join(static_root, "media"),
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT))
    proc = None
    began = time.monotonic()
    results = {}
    try:
        fill = args.fresh or not certificates_ready(bench_url)
        if fill:
            say(f"creating the database {args.database}")
            recreate_database(database_url, args.database)
        else:
            say(f"reusing the database {args.database} ({CERTIFICATES} certificates)")

        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        say("migrate, collectstatic")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if fill:
            say(f"creating {CERTIFICATES} certificates with {MODULES} modules each")
            t0 = time.monotonic()
            populate()
            say(f"  done in {time.monotonic() - t0:.1f} s")

        from bench import taking
        from certificates.models import Certificate

        tokens = list(Certificate.objects.filter(sequence__lte=CERTIFICATES).values_list("token", flat=True))
        if "verify" in scenarios:
            say("preparing the verification pages ahead (those not in the shared table yet)")
            call_command("prepare_verification_pages", "--language", "kk", "--missing")
        queries = query_counts() if "verify" in scenarios else None
        listeners = None
        if "test" in scenarios:
            say(f"starting {taking.LISTENERS} attempts at a 25-question test, one logged-in session each")
            listeners = taking.prepare()
            answer_sql, service_sql = taking.answer_queries(HOST)
        connections.close_all()
        if "issuing" in scenarios:
            from bench import issuing

            say(f"issuing a cohort of {issuing.LISTENERS} by 1 and by 2 task workers, alternately")
            results["issuing"] = issuing.measure(rounds=args.rounds, say=say)
        if "monitoring" in scenarios:
            from bench import monitoring

            say(f"the monitoring dashboard over {monitoring.COHORTS} cohorts against the bare view, in process")
            results["monitoring"] = monitoring.measure(rounds=max(args.rounds, 3), say=say)
        if "excel" in scenarios:
            say(f"an Excel export of {EXPORT_ROWS} and of {EXPORT_BASELINE_ROWS} rows under tracemalloc")
            results["excel"] = export_memory(EXPORT_ROWS)

        if {"verify", "test"} & set(scenarios):
            say(f"starting gunicorn ({args.workers} sync workers) on {HOST}:{port}")
            log = tempfile.NamedTemporaryFile(prefix="ziat-bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
            proc = start_gunicorn(port, args.workers, dict(os.environ), log)
            wait_until_up(proc, port, log.name)

        bare = (lambda rng: BARE_PATH, lambda body: body == b"ok", None)
        if "verify" in scenarios:
            say(f"verify page: {args.clients} clients")
            results["verify"] = measure(
                port,
                {
                    "bare": bare,
                    "verify": (lambda rng: f"/verify/{rng.choice(tokens)}/", lambda body: VALID_MARKER in body, None),
                },
                args.clients,
                args.duration,
                args.rounds,
            )
        if "test" in scenarios:
            say(f"test answers: {len(listeners)} listeners at once")
            results["test"] = measure(
                port,
                {
                    "bare": bare,
                    "answer": (
                        None,
                        lambda body: taking.SAVED_MARKER in body,
                        lambda n, rng: taking.answer_request(listeners[n % len(listeners)], rng),
                    ),
                },
                len(listeners),
                args.duration,
                args.rounds,
            )
    finally:
        if proc is not None:
            stop(proc)
            log.close()
            Path(log.name).unlink(missing_ok=True)
        shutil.rmtree(static_root, ignore_errors=True)

    failed = 0
    if "verify" in results:
        rate = rates(results["verify"])
        six, one = len(queries[MODULES]), len(queries[1])
        if args.verbose:
            for sql in queries[MODULES]:
                print(f"  {sql}", file=sys.stderr)
        print(
            f"verify page: {rate['verify']:.0f} req/s; bare view: {rate['bare']:.0f} req/s; "
            f"ratio {rate['verify'] / rate['bare']:.2f}; queries per verify page: {six}"
        )
        print(
            f"  ({six} queries with {MODULES} modules, {one} with 1; gunicorn {args.workers} sync workers, "
            f"{args.clients} clients, {args.rounds} x {args.duration:g} s per target, "
            f"{CERTIFICATES} certificates)"
        )
        if six != one:
            print(
                f"bench: the verify page makes {six} queries with {MODULES} modules but {one} with 1", file=sys.stderr
            )
        if failures(results["verify"]):
            print(f"bench: {failures(results['verify'])} verify requests failed or were not valid", file=sys.stderr)
            failed += 1
    if "test" in results:
        rate = rates(results["test"])
        if args.verbose:
            for sql in answer_sql:
                print(f"  {sql}", file=sys.stderr)
        print(
            f"test answers: {rate['answer']:.0f} saved/s; bare view: {rate['bare']:.0f} req/s; "
            f"ratio {rate['answer'] / rate['bare']:.2f}; queries per saved answer: {len(answer_sql)}"
        )
        print(
            f"  ({len(service_sql)} of them in answer_record; {len(listeners)} listeners posting at once, "
            f"{taking.LISTENERS} attempts of 25 questions; gunicorn {args.workers} sync workers, "
            f"{args.rounds} x {args.duration:g} s per target)"
        )
        if failures(results["test"]):
            print(f"bench: {failures(results['test'])} answers failed or were not saved", file=sys.stderr)
            failed += 1
    if "excel" in results:
        (base_peak, base_size), (peak, size) = results["excel"][EXPORT_BASELINE_ROWS], results["excel"][EXPORT_ROWS]
        print(
            f"excel export: {peak:.1f} MiB peak for {EXPORT_ROWS} rows; "
            f"{base_peak:.1f} MiB for {EXPORT_BASELINE_ROWS}; ratio {peak / base_peak:.2f}"
        )
        print(
            f"  (tracemalloc peak in process, 10 columns, rows made as written; "
            f"files of {size:.1f} and {base_size:.2f} MiB)"
        )
    if "issuing" in results:
        one, two = results["issuing"][1], results["issuing"][2]
        print(f"issuing: {one / two:.2f}x faster with 2 workers than with 1 ({one:.1f} s against {two:.1f} s)")
        pairs = ", ".join(f"{a / b:.2f}" for a, b in results["issuing"]["rounds"])
        print(
            f"  (per round: {pairs}; {args.rounds} cohorts of 100 each way, real db_worker processes, PDFs not timed)"
        )
    if "monitoring" in results:
        found = results["monitoring"]
        print(
            f"monitoring dashboard: {found['dashboard'] * 1000:.0f} ms; bare view: {found['bare'] * 1000:.2f} ms; "
            f"ratio {found['dashboard'] / found['bare']:.0f}; queries per dashboard: {found['queries']}"
        )
        print(
            f"  first view (no outcome figures kept): {found['first'] * 1000:.0f} ms; queries: {found['first_queries']}"
        )
        print(
            f"  (in process, the director's page over {monitoring.COHORTS} cohorts of {monitoring.LISTENERS} "
            f"listeners in {monitoring.PROGRAMS} programs; medians of {len(found['rounds'])} alternating rounds)"
        )
    print(f"  ({time.monotonic() - began:.0f} s in all)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
