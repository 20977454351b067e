"""Evidence from other papers: what abbreviations stand for, and pairs the miner was sure of."""

import pytest

from glossary.mining.boundary import score_options
from glossary.mining.candidates import boundary_contexts, mine_texts, read_mentions
from glossary.mining.learned import Expansions, Learned, default_learned, learn_expansions
from glossary.mining.lexicon import default_lexicon
from glossary.mining.words import Token, is_boundary_tagged

ROS = [("ROS", "reactive oxygen species", 1.0), ("ROS", "reactive oxygen species", 1.0)]


def test_an_expansion_is_learned_from_definitions_whose_letters_fit():
    table = learn_expansions([*ROS, ("XYZ", "a guess nobody checked", 0.0)])
    assert table.get("ROS") == "reactive oxygen species"
    assert table.get("XYZ") == ""  # the letters did not fit: not learned
    assert table.get("") == ""


def test_an_abbreviation_is_found_under_its_variants():
    table = learn_expansions([("NF-κB", "nuclear factor kappa B", 1.0), ("SCFA", "short-chain fatty acid", 1.0)])
    assert table.get("NF-kB") == "nuclear factor kappa B"
    assert table.get("SCFAs") == "short-chain fatty acid"


def test_an_ambiguous_abbreviation_stands_for_nothing():
    table = learn_expansions([("PG", "prostaglandin", 1.0), ("PG", "peptidoglycan", 1.0)])
    assert table.get("PG") == ""


def test_two_spellings_of_one_concept_are_not_ambiguous():
    table = learn_expansions(
        [
            ("NF-κB", "nuclear factor kappa B", 1.0),
            ("NF-κB", "nuclear factor kappa B", 1.0),
            ("NF-κB", "nuclear factor kappa-light-chain-enhancer of activated B cells", 1.0),
        ]
    )
    assert table.get("NF-κB") == "nuclear factor kappa B"


@pytest.mark.parametrize(
    ("abbr", "english"),
    [
        ("MMP-2", "matrix metalloproteinase-2"),
        ("TGF-β", "transforming growth factor-β"),
        ("IL10", "interleukin 10"),
    ],
)
def test_a_family_member_is_read_from_its_family(abbr, english):
    table = learn_expansions(
        [
            ("MMP", "matrix metalloproteinase", 1.0),
            ("TGF", "transforming growth factor", 1.0),
            ("IL", "interleukin", 1.0),
        ]
    )
    assert table.get(abbr) == english


def test_a_one_letter_family_is_no_family():
    assert learn_expansions([("T", "thymine", 1.0)]).get("T3") == ""


@pytest.mark.parametrize(
    "text",
    ["该药可显著降低活性氧（ROS）含量。", "該藥可顯著降低活性氧（ROS）含量。"],
)
def test_an_abbreviation_alone_borrows_what_other_papers_say_it_stands_for(text):
    """降低 (*reduce*) gives the R of ROS by chance; the English says the term starts at 活性."""
    learned = Learned(learn_expansions(ROS))
    _, mentions = read_mentions([("a", text)])
    assert [en for _, en, _, _ in boundary_contexts(mentions, learned)] == ["reactive oxygen species"]
    (candidate,) = mine_texts([("a", text)], learned=learned)
    assert candidate.zh == "活性氧"
    assert (candidate.en, candidate.abbr) == ("", "ROS")  # the candidate keeps what its text says
    assert candidate.evidence["reasons"][0] == "ROS is defined elsewhere as reactive oxygen species"


def test_the_batch_own_english_comes_before_the_table():
    learned = Learned(learn_expansions([("ROS", "rat oxidative stress", 1.0)]))
    text = "活性氧（reactive oxygen species，ROS）升高，而降低活性氧（ROS）可减轻损伤。"
    _, mentions = read_mentions([("a", text)])
    assert {en for _, en, _, _ in boundary_contexts(mentions, learned)} == {"reactive oxygen species"}


def test_sure_pairs_teach_the_lexicon_what_cedict_lacks():
    pairs = (("基质金属蛋白酶", "matrix metalloproteinase"), ("基质细胞", "matrix cell"))
    assert default_lexicon().match("基质", ("matrix",)) == 0.0
    assert default_lexicon().learn(pairs).match("基质", ("matrix",)) > 0.5


def test_the_shipped_evidence_loads_and_is_consistent():
    learned = default_learned()
    assert len(learned.expansions) > 50 and len(learned.pairs) > 50
    assert all(zh and en for zh, en in learned.pairs)
    assert Expansions(learned.expansions.as_dict()).as_dict() == learned.expansions.as_dict()


@pytest.mark.parametrize("word", ["始于", "始於", "位于", "用于", "等于"])
def test_a_word_ending_in_the_preposition_yu_governs_what_follows(word):
    assert is_boundary_tagged(Token(word, "d", 100))
    assert score_options(f"此过程{word}原肠胚形成", "gastrulation")[0].zh == "原肠胚形成"


@pytest.mark.parametrize(
    ("glued", "words"),
    [("Gprotein", ("G", "protein")), ("Tcells", ("T", "cells")), ("Protein", ("protein",)), ("Ascent", ("ascent",))],
)
def test_a_capital_glued_to_a_word_is_a_letter_that_names(glued, words):
    assert default_lexicon().split_glued(glued) == words


@pytest.mark.parametrize("left", ["在3'末端不含非翻译区", "在3'末端不含非翻譯區", "这些序列没有非翻译区"])
def test_a_term_starts_after_a_negated_verb(left):
    options = score_options(left, "untranslated region", "UTR")
    assert all("不含" not in option.zh and "没有" not in option.zh for option in options)
    assert options[0].zh in ("非翻译区", "非翻譯區")
