import cProfile
import io
import pstats

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.test import Client


class Command(BaseCommand):
    help = (
        "Profile one page of the bench database (cProfile, through the test client, signed in as the bench user "
        "of a role): where the time of a request goes, for the README's Performance section."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="e.g. /bench/review/")
        parser.add_argument("--role", required=True, help="working_group, partner, governing or admin")
        parser.add_argument("--repeat", type=int, default=10, help="Requests profiled together (default 10).")
        parser.add_argument("--top", type=int, default=25, help="Lines of the profile to print.")

    def handle(self, *args, path, role, repeat, top, **options):
        client = Client()
        client.force_login(get_user_model().objects.get(username=f"bench-{role}"))
        client.get(path)  # warm: sessions, caches, templates
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(repeat):
            response = client.get(path)
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats("cumulative")
        stats.print_stats(top)
        self.stdout.write(f"{path} as {role}: status {response.status_code}, {repeat} requests")
        self.stdout.write(out.getvalue())
