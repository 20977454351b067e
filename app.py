"""The target of ``flask --app app`` and ``gunicorn app:app``: the application built from the environment."""

import gc

from glossary import create_app

app = create_app()

# What is loaded by now (the app, SQLAlchemy's metadata, the dictionaries of OpenCC and pypinyin) lives
# as long as the process: the cyclic collector's full passes need not walk it. They did, every few
# requests, and a lookup of 1,000 terms that takes 60 ms took 110 ms when one fell inside it.
gc.freeze()
