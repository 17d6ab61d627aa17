"""Issues certificates from an OS process of its own, for the test of registration numbers under concurrency.

    python -m tests.certificates.issuer DIRECTOR_ID GO_FILE YYYY-MM-DD issue:ID refuse:ID rollback:ID ...

Waits for GO_FILE to appear (so that every process starts at once), then for each enrolment: ``issue`` and
``refuse`` call ``certificate_issue`` (the refused one raises), ``rollback`` issues inside a transaction that is
then rolled back. Prints one JSON line per enrolment.
"""

import json
import sys
import time
from pathlib import Path


class Rollback(Exception):
    pass


def main(director_id, go, day, *operations):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils.dateparse import parse_date

    from certificates.services import certificate_issue
    from enrolment.models import Enrolment
    from ziat.errors import DomainError

    director = get_user_model().objects.get(pk=director_id)
    day = parse_date(day)
    enrolments = {op: Enrolment.objects.get(pk=op.split(":")[1]) for op in operations}
    while not Path(go).exists():
        time.sleep(0.01)
    for op in operations:
        kind = op.split(":")[0]
        result = {"op": op}
        try:
            with transaction.atomic():
                certificate = certificate_issue(enrolments[op], by=director, on=day)
                result.update(sequence=certificate.sequence, number=certificate.registration_number)
                if kind == "rollback":
                    raise Rollback
            result["result"] = "issued"
        except DomainError:
            result["result"] = "refused"
        except Rollback:
            result["result"] = "rolled back"
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
