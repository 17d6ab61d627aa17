"""django-tasks-db's worker, holding a lease while it lives (see ziat.tasking).

Before it takes its first task, and between tasks, the worker puts back in the queue the tasks of workers
that died; a worker whose lease's connection is lost stops, so that its tasks can be taken by another.
"""

from django_tasks_db.management.commands import db_worker

from ziat.tasking import WorkerLease, requeue_stale_tasks


class LeasedWorker(db_worker.Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lease = WorkerLease(self.worker_id)

    def run(self):
        self.lease.acquire()
        try:
            requeue_stale_tasks()
            super().run()
        finally:
            self.lease.release()

    def run_task(self, db_task_result):
        super().run_task(db_task_result)
        if not self.lease.alive():
            db_worker.logger.error("Worker %s lost its lease; stopping.", self.worker_id)
            self.running = False
            return
        requeue_stale_tasks()


class Command(db_worker.Command):
    help = "Run a database background worker that holds a lease, so a dead worker's tasks are run again"

    def handle(self, **options):
        original = db_worker.Worker
        db_worker.Worker = LeasedWorker
        try:
            super().handle(**options)
        finally:
            db_worker.Worker = original
