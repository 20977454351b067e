"""The writer's abbreviation check through the API and the page: each kind of item, parts, offsets, messages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from glossary.mining.candidates import read_mentions
from glossary.mining.definitions import read_definitions
from glossary.models import Revision, WellKnownAbbreviation
from glossary.services.concepts import create_concept

from .test_api_openapi import assert_conforms

GLOSSARY = (
    ("下丘脑-垂体-肾上腺轴", "hypothalamic-pituitary-adrenal axis", "HPA"),
    ("下丘脑-垂体-甲状腺轴", "hypothalamic-pituitary-thyroid axis", "HPT"),
    ("促肾上腺皮质激素", "adrenocorticotropic hormone", "ACTH"),
    ("短链脂肪酸", "short-chain fatty acid", "SCFAs"),
    ("核因子κB", "nuclear factor kappa B", "NF-κB"),
    ("高原肺动脉高压", "high-altitude pulmonary hypertension", "HAPH"),
)


@pytest.fixture()
def glossary(db):
    for zh, en, abbr in GLOSSARY:
        create_concept(
            db.session,
            {"terms": [{"text": zh}, {"text": en}, {"text": abbr, "kind": "abbreviation", "lang": "en"}]},
            None,
        )
    db.session.commit()


def check(client, text: str) -> dict:
    response = client.post("/api/v1/check", json={"text": text})
    assert response.status_code == 200, response.get_json()
    assert_conforms(response, "/check", "post")  # the answer is what the OpenAPI document says
    return response.get_json()


def items(client, text: str) -> list[tuple[str, str, str]]:
    return [(i["severity"], i["kind"], i["abbr"]) for i in check(client, text)["results"]]


# An invented article made like the one the issue reports, with one of each trap.
ARTICLE = "\n".join(
    [
        "肠道菌群、应激与短链脂肪酸",
        "摘要：慢性应激激活下丘脑-垂体-肾上腺轴（hypothalamic-pituitary-adrenal axis，HPA），"
        "HPA 亢进与短链脂肪酸有关。",
        "关键词：应激；短链脂肪酸",
        "Gut microbiota and stress",
        "Abstract: Short-chain fatty acids (SCFA) damp the hypothalamic-pituitary-adrenal axis (HPA); "
        "SCFA lower HPA tone.",
        "Key words: stress; short-chain fatty acids",
        "1 引言",
        "下丘脑-垂体-甲状腺轴（hypothalamic-pituitary-adrenal axis，HPT）调节代谢，HPT 失衡常见。"
        "促肾上腺皮质激素（adrenocorticotropic hormone，ACH）升高时 ACH 反馈减弱。"
        "核因子κB（nuclear factor kappa B，NF-κB）是转录因子，NF-κB 通路激活。"
        "短链脂肪酸（SCFA）由菌群产生，SCFA 与 SCFAs 见表S1和Fig. 2A。"
        "数据以 SPSS 分析，10 μM 的 Ca2+ 作用于 C57BL/6J 小鼠。",
        "参考文献",
        "[1] Roe A. The HPA axis and IL-6. Invented J, 2020.",
        "",
    ]
)


def test_article_gives_exactly_the_expected_items(client, glossary):
    report = check(client, ARTICLE)
    got = [(i["severity"], i["kind"], i["abbr"]) for i in report["results"]]
    assert got == [
        ("error", "expansion_of_other", "HPT"),
        ("warning", "near_miss", "ACH"),
        ("info", "mixed_variants", "SCFAs"),
        ("info", "well_known", "SPSS"),
    ]
    assert report["counts"] == {"error": 1, "warning": 1, "info": 2}
    error = report["results"][0]
    assert "HPA" in error["message"] and "HPT" in error["message"]
    assert next(r["abbreviations"] for r in error["related"] if r["type"] == "concept") == ["HPA"]
    assert "did you mean ACTH" in report["results"][1]["message"]
    # offsets are code points into the draft as sent
    for item in report["results"]:
        assert ARTICLE[item["start"] : item["end"]] == item["abbr"]
        line = ARTICLE.count("\n", 0, item["start"]) + 1
        assert (item["line"], item["column"]) == (line, item["start"] - (ARTICLE.rfind("\n", 0, item["start"]) + 1) + 1)
    kinds = [(p["kind"], p["lang"], p["checked"]) for p in report["parts"]]
    assert kinds == [
        ("title", "zh", False),
        ("abstract", "zh", True),
        ("title", "en", False),
        ("abstract", "en", True),
        ("body", "zh", True),
        ("references", "en", False),
    ]


def test_no_false_alarms_on_a_clean_draft(client, glossary):
    text = (
        "核因子-κB（nuclear factor-kappa B，NF-κB）在炎症中激活，NF-κB 调控 IL-6（见 Table S1、Fig. 2A–C），"
        "IL-6 升高。SCFA act on NF-κB; SCFA 由菌群产生，SCFA 经 PCR 与 SPSS 分析。"
    )
    text = "短链脂肪酸（short-chain fatty acids，SCFA）。白细胞介素-6（interleukin-6，IL-6）。" + text
    report = check(client, text)
    assert [(i["kind"], i["abbr"]) for i in report["results"] if i["severity"] != "info"] == []
    assert {i["abbr"] for i in report["results"]} <= {"PCR", "SPSS", "SCFA", "NF-κB"}
    assert not any(i["abbr"] in ("κB", "S1", "2A", "B") for i in report["results"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "HPA 激活。随后，下丘脑-垂体-肾上腺轴（HPA）持续亢进，HPA 负反馈受损。",
            [("error", "used_before_definition", "HPA")],
        ),
        ("慢性应激时 HPA 过度激活。", [("warning", "undefined", "HPA")]),
        ("肠道菌群产生短链脂肪酸（SCFAs），并影响宿主代谢。", [("info", "unused", "SCFAs")]),
        (
            "短链脂肪酸（SCFA）由菌群产生。SCFA 很重要。短链脂肪酸（SCFA）也影响免疫，SCFA 还能……",
            [("warning", "defined_twice", "SCFA")],
        ),
        (
            "高原肺水肿（high-altitude pulmonary edema，HPA）常见，HPA 患者……",
            [("warning", "differs_from_glossary", "HPA")],
        ),
        ("NF-κB (nuclear factor kappa B) is named here, and NF-kB there.", [("info", "mixed_variants", "NF-kB")]),
        # traditional script: the same grammar, the glossary matched through simplified keys
        (
            "下視丘-垂體-甲狀腺軸（hypothalamic-pituitary-adrenal axis，HPT）與 HPT 失衡。",
            [("error", "expansion_of_other", "HPT")],
        ),
        # half-width brackets and the English order
        ("The hypothalamic-pituitary-adrenal axis (HPA) is the stress axis; HPA tone rises.", []),
        ("儿童焦虑量表 CAQ(Child Anxiety Questionnaire)用于评估，CAQ 得分升高。", []),
        # an abbreviation with a Chinese head noun is one spelling with or without it
        ("自然杀伤T细胞（natural killer T cell，NKT细胞）增多，NKT细胞 与 NKT 活化。", []),
        # a part of a defined abbreviation, a key-word list, labels, units, ions, strains, numerals
        ("核因子κB（nuclear factor kappa B，NF-κB）结合 κB 位点，NF-κB 入核。", []),
        ("摘要：下丘脑-垂体-肾上腺轴（HPA）亢进，HPA 失调。\n关键词：HPA轴；QZX", []),
        ("见 Table S1、Fig. 2A–C 与表S2；10 μM 的 Ca2+ 与 CO2 处理 C57BL/6J 和 ApoE-/- 小鼠，Ⅱ型与 type II。", []),
    ],
)
def test_each_kind_of_item(client, glossary, text, expected):
    assert items(client, text) == expected


def test_defined_twice_links_to_the_first_definition(client, glossary):
    text = "短链脂肪酸（SCFA）由菌群产生。SCFA 很重要。\n短链脂肪酸（SCFA）也影响免疫，SCFA 还能……"
    (item,) = check(client, text)["results"]
    (first,) = item["related"]
    assert (first["type"], first["start"], first["line"]) == ("place", text.index("SCFA"), 1)
    assert item["start"] == text.rindex("（SCFA）") + 1 and item["line"] == 2
    assert "line 1" in item["message"]


def test_each_language_part_is_checked_on_its_own(client, glossary):
    text = (
        "摘要：下丘脑-垂体-肾上腺轴（HPA）在应激中激活，HPA 亢进。\n关键词：应激\n"
        "Abstract: The hypothalamic-pituitary-adrenal axis (HPA) is activated; HPA tone rises.\nKey words: stress\n"
        "正文：下丘脑-垂体-肾上腺轴（HPA）在应激中激活，HPA 亢进。\n参考文献\n[1] Roe A. HPA and ACTH. 2020.\n"
    )
    assert items(client, text) == []


def test_well_known_list_is_edited_by_the_admin(client, glossary, db):
    from glossary.services.accounts import create_user

    create_user(db.session, "adele", "admin-password-9", "admin")
    db.session.commit()
    # the defaults apply until the first edit
    assert items(client, "SPSS 与 QWE 分析。") == [("warning", "undefined", "QWE"), ("info", "well_known", "SPSS")]
    client.post("/login", data={"name": "adele", "password": "admin-password-9"})
    page = client.get("/admin/users")
    assert page.status_code == 200 and "SPSS" in page.get_data(as_text=True)
    bad = client.post("/admin/well-known-abbreviations", data={"abbreviations": "QWE\n肾上腺"})
    assert bad.status_code == 422 and "not an abbreviation" in bad.get_data(as_text=True)
    assert db.session.scalars(select(WellKnownAbbreviation)).all() == []  # refused whole: nothing written
    assert items(client, "SPSS 与 QWE 分析。") == [("warning", "undefined", "QWE"), ("info", "well_known", "SPSS")]
    saved = client.post("/admin/well-known-abbreviations", data={"abbreviations": "QWE, DNA"})
    assert saved.status_code == 302
    (revision,) = db.session.scalars(select(Revision).where(Revision.action == "well_known.update")).all()
    assert revision.user_name == "adele" and revision.after == {"well_known": ["DNA", "QWE"]}
    assert "SPSS" in revision.before["well_known"]
    assert items(client, "SPSS 与 QWE 分析。") == [("warning", "undefined", "SPSS"), ("info", "well_known", "QWE")]
    client.post("/admin/well-known-abbreviations", data={"abbreviations": ""})
    assert items(client, "DNA 与 QWE。") == [("warning", "undefined", "DNA"), ("warning", "undefined", "QWE")]


def test_only_admins_edit_the_list(client, db):
    from glossary.services.accounts import create_user

    create_user(db.session, "cody", "curator-password-9", "curator")
    db.session.commit()
    anonymous = client.post("/admin/well-known-abbreviations", data={"abbreviations": "QWE"})
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    client.post("/login", data={"name": "cody", "password": "curator-password-9"})
    assert client.post("/admin/well-known-abbreviations", data={"abbreviations": "QWE"}).status_code == 403
    assert items(client, "QWE 与 SPSS。") == [("warning", "undefined", "QWE"), ("info", "well_known", "SPSS")]


def test_empty_draft_gets_a_clear_message(client):
    for body in ({"text": ""}, {"text": " \n\t"}):
        response = client.post("/api/v1/check", json=body)
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "empty_draft"
        assert_conforms(response, "/check", "post")
    page = client.post("/check", data={"text": "   "})
    assert page.status_code == 400 and "The draft is empty" in page.get_data(as_text=True)
    assert client.post("/api/v1/check", json={"text": 5}).status_code == 400


def test_page_and_api_agree_on_offsets_across_line_breaks(client, glossary):
    text = "第一行。\n第二行。\n慢性应激时 HPA 过度激活。\nHPA 再次出现。"
    (item,) = check(client, text)["results"]
    page = client.post("/check", data={"text": text.replace("\n", "\r\n")})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'data-start="{item["start"]}" data-end="{item["end"]}"' in html
    assert f'href="#at-{item["start"]}-{item["end"]}"' in html and f'id="at-{item["start"]}-{item["end"]}"' in html
    assert f"line {item['line']}, column {item['column']}" in html and item["line"] == 3


def test_page_groups_errors_first_with_counts(client, glossary):
    html = client.post("/check", data={"text": ARTICLE}).get_data(as_text=True)
    assert "1 errors" in html or "1 error" in html
    groups = re.findall(r'<h3 id="group-(\w+)">', html)
    assert groups == ["error", "warning", "info"]
    assert html.index("expansion of other") < html.index("near miss") < html.index("well known")


MINER_STRINGS = [
    "下丘脑-垂体-肾上腺轴（hypothalamic-pituitary-adrenal axis，HPA）在应激中激活",
    "研究发现短链脂肪酸（SCFAs）可调节免疫",
    "the hypothalamic-pituitary-adrenal axis (HPA) responds to stress",
    "核因子κB (nuclear factor kappa B, NF-κB) 是转录因子",
    "儿童焦虑量表 CAQ(Child Anxiety Questionnaire)用于评估",
    "IL-6（interleukin-6）升高",
    "腫瘤壞死因子-α（tumor necrosis factor-α，TNF-α）升高",
]


@pytest.mark.parametrize("text", MINER_STRINGS)
def test_miner_and_check_read_the_same_definitions(client, text):
    _, mentions = read_mentions([("draft", text)])
    definitions = read_definitions(text)
    assert [(m.kind, m.abbr, m.en) for m in mentions] == [(d.kind, d.abbr, d.en) for d in definitions]
    (definition,) = [d for d in definitions if d.abbr]
    assert text[definition.abbr_start : definition.abbr_end] == definition.abbr
    # the check counts the definition: a use after it is neither undefined nor the definition unused
    assert items(client, f"{text}，{definition.abbr} 再现。") == []
