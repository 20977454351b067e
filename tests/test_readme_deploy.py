"""Issue 17, point 1: the README's PostgreSQL deployment is a sequence that works, and CI runs it.

CI (``.ci/run`` with CI=true) runs ``.ci/readme_deploy``, which copies the block
out of the README and runs it on a new cluster with Debian's authentication,
then asks the search; these checks keep the block in the shape that script and
a fresh Debian machine need.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = ".ci/readme_deploy runs the next block"


def deployment_block() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deployment with PostgreSQL and gunicorn", 1)[1].split("\n## ", 1)[0]
    after_marker = section.split(MARKER, 1)[1]
    block = re.search(r"```sh\n(.*?)```", after_marker, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.split("#", 1)[0].strip()]


def test_the_role_and_database_are_made_as_postgres_with_a_password_and_an_owner():
    steps = deployment_block()
    assert steps[0] == "sudo -u postgres createuser --pwprompt glossary"
    assert steps[1] == "sudo -u postgres createdb -O glossary glossary"
    url = next(step for step in steps if step.startswith("export DATABASE_URL="))
    assert re.fullmatch(r"export DATABASE_URL='postgresql://glossary:PASSWORD@localhost/glossary'", url)


def test_the_schema_and_starter_come_before_gunicorn_which_listens_on_localhost_only():
    steps = deployment_block()
    order = [next(i for i, step in enumerate(steps) if step.startswith(prefix)) for prefix in (
        "export SECRET_KEY=", ".venv/bin/flask --app app db upgrade", ".venv/bin/flask --app app load-starter",
        ".venv/bin/gunicorn ")]  # fmt: skip
    assert order == sorted(order)
    assert steps[-1].startswith(".venv/bin/gunicorn --bind 127.0.0.1:8000 ")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deployment with PostgreSQL and gunicorn", 1)[1].split("\n## ", 1)[0]
    assert "0.0.0.0" not in section, "a reverse proxy sits in front: gunicorn listens on localhost only"


def test_ci_runs_the_block_after_starting_postgresql():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert run.index('pg_ctl" -D "$pg_data"') < run.index("bash .ci/readme_deploy") < run.index("make test")
    script = (ROOT / ".ci" / "readme_deploy").read_text(encoding="utf-8")
    assert MARKER.replace(".", "\\.").replace("/", "\\/") in script
    assert "--auth-local=peer --auth-host=scram-sha-256" in script
    assert "/api/v1/search?q=GC-MS" in script
