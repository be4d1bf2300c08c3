"""Load the question catalogues shipped in audits/catalogues/ that are not loaded yet."""

from django.core.management.base import BaseCommand

from audits.catalogues import load_shipped


class Command(BaseCommand):
    help = "Load the shipped audit question catalogues (ISO 9001 checklist, VDA 6.3 example)."

    def handle(self, *args, **options):
        loaded = load_shipped()
        for catalogue in loaded:
            self.stdout.write(f"Loaded {catalogue}.")
        if not loaded:
            self.stdout.write("All shipped catalogues are loaded already.")
