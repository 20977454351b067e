"""The target of ``flask --app app``: the application built from the environment."""

from glossary import create_app

app = create_app()
