"""Uploading articles to mine through the API."""

from __future__ import annotations

import io

from .test_api_concepts import token_for
from .test_api_openapi import assert_conforms

ARTICLE = ("肠道菌群与焦虑\n\n研究表明，催产素（oxytocin）可以缓解焦虑。肠道菌群产生短链脂肪酸"
           "（short-chain fatty acids，SCFAs），SCFAs 影响下丘脑-垂体-肾上腺轴（HPA）。\n")


def upload(client, headers, *files):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/api/v1/documents", data=data, headers=headers, content_type="multipart/form-data")


def test_upload_mines_into_the_review_queue(client, db):
    curator = token_for(db, "curator")
    response = upload(client, curator, ("review.txt", ARTICLE.encode("gb18030")))
    assert response.status_code == 200
    assert_conforms(response, "/documents", "post")
    report = response.get_json()
    assert report["files"][0]["status"] == "mined" and report["new_candidates"] >= 2
    queue = client.get("/api/v1/candidates", headers=curator).get_json()
    assert {"oxytocin", "short-chain fatty acids"} <= {c["en"] for c in queue["results"]}
    again = upload(client, curator, ("copy.txt", ARTICLE.encode("gb18030"))).get_json()
    assert again["files"][0]["status"] == "already mined" and again["new_candidates"] == 0


def test_upload_errors(client, db):
    assert upload(client, {}, ("a.txt", b"x")).status_code == 401
    assert upload(client, token_for(db, "viewer"), ("a.txt", b"x")).status_code == 403
    curator = token_for(db, "curator", "cura")
    response = client.post("/api/v1/documents", headers=curator, data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert_conforms(response, "/documents", "post")
    response = upload(client, curator, ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)))
    assert response.status_code == 422
    assert_conforms(response, "/documents", "post")
    assert client.get("/api/v1/candidates", headers=curator).get_json()["total"] == 0
