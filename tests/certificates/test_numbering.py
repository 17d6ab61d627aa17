"""Registration numbers under concurrency (003 §7.6, SPEC 5.4): eight OS processes issue certificates at once on
the same register; the numbers are unique and follow each other with no gap, a refused or rolled-back issue gives
its number back, and a revoked certificate's number is never given again."""

import json
import sys

import pytest

from certificates.models import Certificate, RegisterSequence
from certificates.services import certificate_issue, certificate_revoke
from tests import processes
from tests.certificates.helpers import course, enrol

pytestmark = pytest.mark.django_db(transaction=True)

PROCESSES = 8
EACH = 3  # certificates issued by each process, besides one refused and one rolled back
DAY = "2026-03-10"


def test_eight_processes_issuing_at_once_get_unique_gapless_numbers_and_a_revoked_one_is_never_reused_003_7_6_5_4(
    tmp_path, org, director
):
    c = course()
    plans, rolled_back = [], []
    for p in range(PROCESSES):
        operations = [f"issue:{enrol(c, last_name=f'Тыңдаушы{p}{i}').pk}" for i in range(EACH)]
        operations.insert(1, f"refuse:{enrol(c, hours=2).pk}")  # 20% attendance: refused
        back = enrol(c)
        rolled_back.append(back)
        operations.insert(2, f"rollback:{back.pk}")
        plans.append(operations)
    go = tmp_path / "go"
    logs = [(tmp_path / f"issuer-{p}.log").open("w") for p in range(PROCESSES)]
    issuers = [
        processes.start(
            [sys.executable, "-m", "tests.certificates.issuer", str(director.pk), str(go), DAY, *operations], log
        )
        for operations, log in zip(plans, logs, strict=True)
    ]
    try:
        go.touch()  # every process waits for this file: they issue at once
        for issuer in issuers:
            assert issuer.wait(timeout=300) == 0
    finally:
        for issuer in issuers:
            processes.stop(issuer)
        for log in logs:
            log.close()
    lines = [line for p in range(PROCESSES) for line in (tmp_path / f"issuer-{p}.log").read_text().splitlines()]
    results = [json.loads(line) for line in lines if line.startswith("{")]
    assert sorted(r["result"] for r in results) == sorted(
        ["issued"] * (PROCESSES * EACH) + ["refused"] * PROCESSES + ["rolled back"] * PROCESSES
    ), (tmp_path / "issuer-0.log").read_text()

    issued = PROCESSES * EACH
    sequences = sorted(Certificate.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, issued + 1))
    numbers = set(Certificate.objects.values_list("registration_number", flat=True))
    assert numbers == {f"ZIAT-2026-{n:05d}" for n in range(1, issued + 1)}
    assert sorted(r["sequence"] for r in results if r["result"] == "issued") == sequences
    assert RegisterSequence.objects.get(register="certificate", year=2026).last == issued

    # A revoked certificate keeps its number; the next certificate takes the next one, never the revoked one.
    revoked = Certificate.objects.get(sequence=issued // 2)
    certificate_revoke(revoked, by=director, category="issued_in_error")
    again = certificate_issue(rolled_back[0], by=director, on=revoked.issued_on)
    assert again.sequence == issued + 1
    assert Certificate.objects.filter(registration_number=revoked.registration_number).count() == 1
