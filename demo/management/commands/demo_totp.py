from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.users import demo_device


class Command(BaseCommand):
    help = "Print the current two-factor sign-in code of a demo user (reviewer or admin). Demo sites only."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (e.g. a staging site).")

    def handle(self, *args, username, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("demo_totp runs only with DJANGO_DEBUG=1 unless --force.")
        try:
            device = demo_device(username)
        except TOTPDevice.DoesNotExist:
            raise CommandError(f"{username} has no demo authenticator; run load_demo first.") from None
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
