from __future__ import annotations

from django_tasks_db.management.commands import db_worker

from planner.worker import Housekeeper


class Command(db_worker.Command):
    help = (
        "Run the task worker: send the queued e-mail, start the daily jobs (reminders, purge) "
        "once a day, and take over the tasks of a worker that died. Stops after the current "
        "task on SIGTERM or Ctrl+C. Run one or more, beside the app servers."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)  # a reload could cut a mail short

    def handle(self, *args, worker_id: str, **options) -> None:
        housekeeper = Housekeeper(worker_id)
        housekeeper.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            housekeeper.stop()
