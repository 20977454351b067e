"""The bilingual lexicon: each behaviour on a small invented dictionary (no CC-CEDICT needed)."""

import ast
import threading
from pathlib import Path

import pytest

from glossary.mining import lexicon
from glossary.mining.lexicon import Lexicon, english_stems

# Invented entries in CC-CEDICT's format: TRAD SIMP [pinyin] /gloss/gloss/
LINES = [
    "外側 外侧 [wai4 ce4] /outer side/",
    "外 外 [wai4] /outside/external/",
    "側 侧 [ce4] /the side/to lean/",
    "淋巴 淋巴 [lin2 ba1] /lymph (loanword)/",
    "肺 肺 [fei4] /lung/CL:個|个[ge4]/",
    "肺泡 肺泡 [fei4 pao4] /pulmonary alveolus/",
    "組織 组织 [zu3 zhi1] /to organize/(biology) tissue/CL:個|个[ge4]/",
    "腫瘤 腫瘤 [zhong3 liu2] /tumor/",
    "腫瘤 肿瘤 [zhong3 liu2] /tumor/",
    "水腫 水肿 [shui3 zhong3] /edema/",
    "後來 后来 [hou4 lai2] /afterwards; later/",
    "缺氧 缺氧 [que1 yang3] /lacking oxygen/",
    "受體 受体 [shou4 ti3] /receptor (biochemistry)/",
    "默認 默认 [mo4 ren4] /see 默許|默许[mo4 xu3]/default (setting)/",
    "核 核 [he2] /nucleus/nuclear/",
    "覈 核 [he2] /variant of 核[he2]/",
    "的 的 [de5] /of; ~'s (possessive particle)/",
    "的 的 [di4] /(bound form) target/",
    "胞 胞 [bao1] /womb/sibling/",
    "細 细 [xi4] /thin/fine/",
    "刺 刺 [ci4] /thorn/to stab/",
    "卵 卵 [luan3] /egg/ovum/",
    "細胞 细胞 [xi4 bao1] /cell (biology)/",
    "刺胞 刺胞 [ci4 bao1] /nettle cell/",
    "卵胞 卵胞 [luan3 bao1] /egg cell/",
    "固有 固有 [gu4 you3] /intrinsic/inherent/",
    "免疫 免疫 [mian3 yi4] /immunity (to disease)/",
]


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.from_cedict_lines(LINES)


def score(lex: Lexicon, zh: str, en: str) -> float:
    return lex.match(zh, english_stems(en))


def test_english_stems_keep_content_words_only():
    assert english_stems("the Lateral Geniculate Nucleus") == ("lateral", "genicul", "nucleus")
    assert english_stems("receptor-interacting protein/kinase 1") == ("receptor", "interact", "protein", "kinas", "1")
    assert english_stems("TNF-α and interferon gamma") == ("tnf", "α", "interferon", "γ")
    assert english_stems("vitamin A of a cell") == ("vitamin", "a", "cell")  # a capital letter is no article
    assert english_stems("tumour") == english_stems("tumors") == ("tumor",)


def test_definitions_are_cleaned_to_content_stems(lex):
    assert lex.glosses("组织") == {"organiz", "tissu"}  # no label, no classifier, no "to"
    assert lex.glosses("組織") == lex.glosses("组织")  # traditional headword
    assert lex.glosses("淋巴") == {"lymph"}  # "(loanword)" dropped
    assert lex.glosses("默认") == {"default"}  # cross reference dropped
    assert lex.glosses("覈") == {"nucleus", "nuclear"}  # a bare variant takes its target's glosses
    assert lex.glosses("未知词") == frozenset()
    assert not lex.knows("未知词")


def test_a_function_word_has_no_glosses_whatever_its_rare_readings(lex):
    assert lex.knows("的")
    assert lex.glosses("的") == frozenset()
    assert score(lex, "的", "target") == 0.0


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("淋巴", "lymphoid"),  # a derivative
        ("肺泡", "alveolar"),  # one root, two Latin endings
        ("肺", "pulmonary"),  # Latin adjective ↔ plain noun
        ("外侧", "lateral"),
        ("肿瘤", "tumour"),  # British spelling
        ("水肿", "oedema"),
        ("缺氧", "hypoxia"),  # Greek combining form: -oxia
        ("组织", "tissue"),
        ("組織", "tissues"),
        ("淋巴", "lymphoma"),  # -oma: a tumour of the lymph
    ],
)
def test_loose_english_forms_match(lex, zh, en):
    assert score(lex, zh, en) == 1.0


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("组织", "organ"),  # organ/organize: a verb, not a derivative
        ("后来", "lateral"),  # later/lateral
        ("肺", "pneumatic"),  # pneuma, air
        ("外", "extreme"),  # a prefix without its word
    ],
)
def test_false_friends_do_not_match(lex, zh, en):
    assert score(lex, zh, en) == 0.0


def test_a_character_also_means_what_its_compounds_say(lex):
    assert lex.glosses("胞") == {"womb", "sibl"}
    assert score(lex, "胞", "cell") == 1.0  # 细胞, 刺胞, 卵胞: "cell" that no other character explains
    assert score(lex, "细", "cell") == 0.0  # one compound is no evidence


def test_unknown_words_score_the_share_of_their_pieces(lex):
    assert not lex.knows("胞外")
    assert score(lex, "胞外", "extracellular") == 1.0  # 胞 cell + 外 outside (extra-)
    assert score(lex, "外泌", "external") == 0.5  # 泌 is unknown
    assert score(lex, "淋巴外侧", "lymph") == pytest.approx(0.5)  # known sub-words first


def test_latin_letters_and_numbers_match_themselves(lex):
    assert score(lex, "受体1", "receptor 1") == 1.0
    assert score(lex, "受体2", "receptor 1") == pytest.approx(2 / 3)
    assert score(lex, "TNF受体", "TNF receptor") == 1.0


def test_explained_lists_matching_word_pairs(lex):
    assert lex.explained("外侧淋巴", "lateral lymphoid") == [("外侧", "lateral"), ("淋巴", "lymphoid")]
    assert lex.explained("外側淋巴", "lateral lymphoid") == [("外側", "lateral"), ("淋巴", "lymphoid")]
    assert lex.explained("固有免疫", "innate immunity") == [("免疫", "immunity")]


def test_learn_associates_the_words_left_over(lex):
    assert score(lex, "固有", "innate") == 0.0
    learned = lex.learn([("固有免疫", "innate immunity"), ("睾丸肿瘤", "testicular tumor")])
    assert score(learned, "固有", "innate") == 1.0  # one word left on each side
    assert score(learned, "睾丸", "testicular") == 1.0
    assert learned.knows("睾丸")
    assert score(lex, "固有", "innate") == 0.0  # the original lexicon is unchanged


def test_learn_weighs_ambiguous_pairs_by_counts(lex):
    learned = lex.learn([("睾丸精子", "testis sperm"), ("睾丸卵巢", "testis ovary")])
    assert score(learned, "睾丸", "testis") == 1.0  # together twice: Dice 1.0
    # once, with another candidate: a weak guess, below what counts as a match (0.5)
    assert 0 < score(learned, "精子", "testis") < 0.5
    assert 0 < score(learned, "卵巢", "ovary") < 0.5


def test_cache_round_trip(tmp_path, monkeypatch):
    monkeypatch.setattr(lexicon, "_cedict_lines", lambda: iter(LINES))
    built = Lexicon.load(tmp_path)
    files = list(tmp_path.iterdir())
    assert [path.name.startswith("cedict-lexicon-") for path in files] == [True]

    def parse_again():
        raise AssertionError("the cache file was not used")

    monkeypatch.setattr(lexicon, "_build_data", parse_again)
    cached = Lexicon.load(tmp_path)
    assert cached.glosses("组织") == built.glosses("组织")
    assert score(cached, "胞", "cell") == score(built, "胞", "cell") == 1.0


def test_a_cache_file_from_other_versions_is_replaced(tmp_path, monkeypatch):
    monkeypatch.setattr(lexicon, "_cedict_lines", lambda: iter(LINES))
    (tmp_path / "cedict-lexicon-0.9-1.0-f0-py39.marshal").write_bytes(b"old")
    Lexicon.load(tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == [lexicon._cache_name()]


def test_a_damaged_cache_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setattr(lexicon, "_cedict_lines", lambda: iter(LINES))
    Lexicon.load(tmp_path)
    (path,) = tmp_path.iterdir()
    path.write_bytes(b"\x00not marshal")
    assert Lexicon.load(tmp_path).glosses("淋巴") == {"lymph"}
    assert path.read_bytes() != b"\x00not marshal"
    assert not list(tmp_path.glob("*.tmp"))


def test_without_a_cache_folder_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(lexicon, "_cedict_lines", lambda: iter(LINES))
    monkeypatch.chdir(tmp_path)
    assert Lexicon.load(None).knows("淋巴")
    assert list(tmp_path.iterdir()) == []


def test_default_lexicon_is_built_once_across_threads(tmp_path, monkeypatch):
    calls = []

    def load(directory):
        calls.append(directory)
        return Lexicon.from_cedict_lines(LINES)

    monkeypatch.setattr(lexicon, "_default", None)
    monkeypatch.setattr(Lexicon, "load", staticmethod(load))
    lexicon.configure_cache(tmp_path)
    try:
        results = []
        threads = [threading.Thread(target=lambda: results.append(lexicon.default_lexicon())) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        lexicon.configure_cache(None)
    assert calls == [tmp_path]
    assert len({id(result) for result in results}) == 1


def test_the_lexicon_imports_no_web_framework_or_database():
    tree = ast.parse(Path(lexicon.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not {name for name in imported if name.split(".")[0] in ("flask", "sqlalchemy", "flask_sqlalchemy")}
