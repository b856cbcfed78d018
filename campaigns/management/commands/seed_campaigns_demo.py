from typing import Any

from django.core.management.base import BaseCommand

from campaigns.demo import seed_campaigns_demo


class Command(BaseCommand):
    help = "Give each brand a demo segment, template and draft A/B campaign (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        seeded = seed_campaigns_demo()
        self.stdout.write(
            f"Demo campaigns: {seeded} brand(s) seeded." if seeded else "Demo campaigns are already there."
        )
