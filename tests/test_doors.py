"""One operation per use case, whatever the door: the admin page and the command line create
users and tokens through the same service, so they write the same audit trail."""

from __future__ import annotations

from sqlalchemy import func, select

from glossary.models import Revision, User

from .test_web_support import PASSWORD, logged_in


def _trail(db, action: str, who: str) -> dict:
    rows = [r for r in db.session.scalars(select(Revision).where(Revision.action == action)) if r.after["user"] == who]
    assert len(rows) == 1, f"{action} for {who}: {len(rows)} revisions"
    return {key: value for key, value in rows[0].after.items() if key not in ("user", "token")}


def test_page_and_command_line_create_users_with_the_same_revision(db, client, runner):
    admin = logged_in(db, client, "admin")
    assert admin.post("/admin/users", data={"name": "lin", "password": PASSWORD, "role": "curator"}).status_code == 302
    result = runner.invoke(args=["create-user", "mei", "--role", "curator", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert _trail(db, "user.create", "lin") == _trail(db, "user.create", "mei") == {"role": "curator", "active": True}


def test_page_and_command_line_create_tokens_with_the_same_revision(db, client, runner):
    admin = logged_in(db, client, "admin")
    for name in ("lin", "mei"):
        runner.invoke(args=["create-user", name, "--role", "curator", "--password", PASSWORD])
    lin = db.session.scalar(select(User).where(User.name == "lin"))
    assert admin.post("/admin/tokens", data={"user_id": str(lin.id), "label": "plugin"}).status_code == 200
    assert runner.invoke(args=["create-token", "mei", "--label", "plugin"]).exit_code == 0
    assert (
        _trail(db, "token.create", "lin") == _trail(db, "token.create", "mei") == {"label": "plugin", "revoked": False}
    )


def test_page_api_and_command_line_export_the_same_file(db, client, runner, tmp_path):
    runner.invoke(args=["load-starter"])
    api = client.get("/api/v1/export?format=csv&status=approved")
    page = client.get("/export?format=csv&status=approved")
    assert api.status_code == page.status_code == 200
    folder = tmp_path / "exports"
    folder.mkdir()
    result = runner.invoke(args=["export", "--format", "csv", "--status", "approved", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    [written] = folder.iterdir()  # into a folder: under the name the page and the API give
    assert f"filename={written.name}" in api.headers["Content-Disposition"]
    assert written.read_bytes() == api.data == page.data


BATCH = [
    (
        "good.txt",
        "催产素（oxytocin）调节社会行为；下丘脑-垂体-肾上腺（hypothalamic-pituitary-adrenal，HPA）轴。\n".encode(),
    ),
    ("empty.txt", b""),
]


def _mined_state(db) -> tuple:
    """What a mining run leaves: sources, candidates, and the revisions it wrote (ids and times aside)."""
    from glossary.models import Candidate, Source

    sources = sorted(db.session.scalars(select(Source.filename)))
    candidates = sorted(tuple(row) for row in db.session.execute(select(Candidate.zh, Candidate.en, Candidate.abbr)))
    trail = sorted(
        (r.action, tuple(sorted((k, v) for k, v in r.after.items() if k != "source_id")))
        for r in db.session.scalars(select(Revision).where(Revision.action == "mine"))
    )
    return sources, candidates, trail


def test_page_api_and_command_line_mine_a_batch_with_one_bad_file_alike(make_app, tmp_path):
    import io

    from glossary.extensions import db as _db

    from .test_api_concepts import token_for

    states, answers = {}, {}
    for door in ("page", "api", "cli"):
        app = make_app()
        with app.app_context():
            client = app.test_client()
            if door == "page":
                curator = logged_in(_db, client, "curator")
                data = {"files": [(io.BytesIO(content), name) for name, content in BATCH]}
                response = curator.post(
                    "/documents", data=data, content_type="multipart/form-data", headers={"Accept": "application/json"}
                )
                answers[door] = response.status_code
            elif door == "api":
                data = {"files": [(io.BytesIO(content), name) for name, content in BATCH]}
                response = client.post(
                    "/api/v1/documents",
                    data=data,
                    content_type="multipart/form-data",
                    headers=token_for(_db, "curator"),
                )
                answers[door] = response.status_code
                refused = [f for f in response.get_json()["files"] if f["status"] == "refused"]
                assert [f["filename"] for f in refused] == ["empty.txt"] and refused[0]["code"]
            else:
                paths = []
                for name, content in BATCH:
                    (tmp_path / name).write_bytes(content)
                    paths.append(str(tmp_path / name))
                result = app.test_cli_runner().invoke(args=["mine", *paths])
                answers[door] = result.exit_code
                assert "empty.txt" in result.output and "the others mined" in result.output
            _db.session.remove()
            states[door] = _mined_state(_db)
    assert states["page"] == states["api"] == states["cli"]
    sources, candidates, trail = states["page"]
    assert sources == ["good.txt"] and ("催产素", "oxytocin", "") in candidates and len(trail) == 1
    assert answers == {"page": 200, "api": 200, "cli": 1}  # the command line says something was refused


def test_the_command_line_can_ask_for_all_or_nothing(make_app, tmp_path):
    """``flask mine --strict``: one unreadable file and nothing is mined or stored, each refusal named."""
    from glossary.extensions import db as _db
    from glossary.models import Candidate, Source

    app = make_app()
    with app.app_context():
        paths = []
        for name, content in BATCH:
            (tmp_path / name).write_bytes(content)
            paths.append(str(tmp_path / name))
        result = app.test_cli_runner().invoke(args=["mine", "--strict", *paths])
        assert result.exit_code == 1
        assert "empty.txt" in result.output and "nothing was mined" in result.output
        assert _db.session.scalar(select(func.count()).select_from(Source)) == 0
        assert _db.session.scalar(select(func.count()).select_from(Candidate)) == 0
        good = app.test_cli_runner().invoke(args=["mine", "--strict", str(tmp_path / "good.txt")])
        assert good.exit_code == 0, good.output
        assert _db.session.scalar(select(func.count()).select_from(Source)) == 1
