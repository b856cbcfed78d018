"""Django's shell, printing nothing of its own for `shell -c "..."`.

Django 5.2's shell announces its automatic model imports ("42 objects imported automatically")
before running a `-c` command too, so the workflow guide's troubleshooting snippets would print
that line above their own output. Interactive shells still announce them.
"""

from typing import Any

from django.core.management.commands import shell


class Command(shell.Command):
    def get_namespace(self, **options: Any) -> dict[str, Any]:
        if options.get("command"):
            options["verbosity"] = 0  # the models are still imported, quietly
        namespace: dict[str, Any] = super().get_namespace(**options)
        return namespace
