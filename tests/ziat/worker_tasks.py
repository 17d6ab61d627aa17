"""Tasks for the tests of the worker: the real acceptance of a request, slowed down half-way once."""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.tasks import task

from enrolment.models import TeacherRequest
from enrolment.services.requests import request_accept
from ziat.jobs import job_done, job_run


@task
def accept_slowly(job_id, request_id, user_id, flag):
    """Accept the request; the first run stops for a long while half-way, inside the acceptance's transaction."""
    flag = Path(flag)
    with job_run(job_id) as progress:
        if progress is None:
            return "finished before"

        def report(done, total, message):
            progress(done, total, message)
            if done == total // 2 and not flag.exists():
                flag.write_text("slept")
                time.sleep(600)

        teacher_request = TeacherRequest.objects.get(pk=request_id)
        request_accept(teacher_request, by=get_user_model().objects.get(pk=user_id), progress=report)
        job_done(job_id, message="accepted")
        return "accepted"
