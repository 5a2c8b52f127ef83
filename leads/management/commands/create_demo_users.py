"""manage.py create_demo_users: the demo groups and logins (see leads.demo_users)."""

from django.core.management.base import BaseCommand, CommandError

from leads.demo_users import DEFAULT_DEMO_PASSWORD, DemoPasswordRequired, demo_users_ensure


class Command(BaseCommand):
    help = (
        'Create the groups "Sales staff" and "Sales manager" and the logins admin, manager and sales when '
        "missing (existing ones are left as they are; --reset sets them up again). "
        'The password is DEMO_PASSWORD, or "leadsite-demo" while DEBUG is on.'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Also reset existing demo logins: password, flags and groups."
        )

    def handle(self, *args, **options):
        try:
            result = demo_users_ensure(reset=options["reset"])
        except DemoPasswordRequired as error:
            raise CommandError(str(error)) from None
        password = DEFAULT_DEMO_PASSWORD if result.password_is_default else "the value of DEMO_PASSWORD"
        self.stdout.write(self.style.SUCCESS(f"Demo logins for the admin (password: {password}):"))
        for login in result.logins:
            state = "created" if login.username in result.created else ("reset" if options["reset"] else "kept")
            self.stdout.write(f"  {login.username:<8} {login.role} ({state})")
        if result.missing_permissions and options["verbosity"] > 1:
            # Export permissions appear with the exports app; the next run grants them.
            self.stdout.write(f"Not granted (not defined yet): {', '.join(result.missing_permissions)}")
