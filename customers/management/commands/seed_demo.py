from django.core.management.base import BaseCommand

from accounts.roles import Role
from customers.demo import seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo customers, plants, parts, users and actions. Safe to run again: only what "
        "is missing is created."
    )

    def handle(self, *args, **options):
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins:"))
        rows = [("E-mail", "Role", "Password")]
        rows += [(login.email, _role_label(login), login.password) for login in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for index, row in enumerate(rows):
            self.stdout.write(
                "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            )
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))


def _role_label(login) -> str:
    label = str(Role(login.role).label)
    return f"{label} ({login.customer_name})" if login.customer_name else label
