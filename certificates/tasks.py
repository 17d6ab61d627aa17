"""Tasks of certificates: a cohort's certificates issued in the background, ZIP files of issued ones, the
verification pages rendered ahead."""

from django.tasks import task

from . import bulk, verification


@task(takes_context=True)
def issue_cohort_certificates(context, job_id):
    """Plan the job and hand each listener to a task of its own, on the backend this task runs on."""
    backend = context.task_result.backend

    def enqueue(job_id, enrolment_id):
        issue_enrolment_certificate.using(backend=backend).enqueue(job_id, enrolment_id)

    return bulk.cohort_issue_run(job_id, enqueue=enqueue)


@task
def issue_enrolment_certificate(job_id, enrolment_id):
    return bulk.enrolment_issue_for_job(job_id, enrolment_id)


@task
def build_certificates_zip(job_id, certificate_ids, filename):
    return bulk.certificates_zip_build(job_id, certificate_ids, filename)


@task
def prepare_verification_pages():
    """The verification pages that are missing or were rendered by another version of the page."""
    return verification.prepare_all(missing_only=True)
