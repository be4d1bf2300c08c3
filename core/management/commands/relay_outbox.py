"""Send the background tasks stored while the broker was unreachable (ops; beat does it too)."""

from django.core.management.base import BaseCommand, CommandError

from core import outbox


class Command(BaseCommand):
    help = (
        "Send the background tasks that were stored because the broker was unreachable, and "
        "mark them sent. Safe to run at any time, also next to the scheduled relay."
    )

    def handle(self, *args, **options):
        result = outbox.relay()
        summary = f"{result.sent} sent, {result.failed} failed, {result.waiting} still waiting."
        if result.broker_down:
            raise CommandError(f"The broker is still unreachable: {summary}")
        self.stdout.write(self.style.SUCCESS(summary))
