"""Flask CLI commands, registered from the modules that own them.

Each command is a thin wrapper over a service and commits once at the end.
"""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from . import accounts, interchange, maintenance, mining, setup

    for module in (setup, accounts, maintenance, interchange, mining):
        module.register(app)
