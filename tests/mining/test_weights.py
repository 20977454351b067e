"""The learned boundary weights: the fitter learns, the shipped file matches the features."""

import json
from pathlib import Path

import pytest

from glossary.mining.boundary import Option, collect_options, rank_options
from glossary.mining.weights import boundary_weights, load_weights
from glossary.mining.weights.fit import fit, main

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def _option(zh: str, **features: float) -> Option:
    return Option(start=0, zh=zh, features=dict(features))


def test_fit_learns_to_prefer_the_accepted_options():
    # In every mention the accepted option is the one after a function word, never the one splitting a word.
    examples = [
        ([_option("甲", cut_after_function=1.0), _option("乙甲", cut_after_single=1.0)], {0}),
        ([_option("丙", cut_after_single=1.0), _option("丁丙", cut_after_function=1.0)], {1}),
        ([_option("戊", cut_after_function=1.0, too_long=0.2), _option("己戊", cut_after_single=1.0)], {0}),
    ]
    weights = fit(examples, iterations=100)
    assert weights["cut_after_function"] > 0 > weights["cut_after_single"]
    for options, accepted in examples:
        assert rank_options(list(options), weights)[0] is options[min(accepted)]


def test_fit_is_deterministic():
    examples = [([_option("甲", a=1.0), _option("乙甲", b=1.0, c=0.5)], {1})]
    assert fit(examples, 50) == fit(examples, 50)


def test_shipped_weights_cover_every_feature_the_miner_produces():
    contexts = [
        ("研究发现血清中的外侧膝状体", "lateral geniculate nucleus", "LGN", 1.0),
        ("主要存在于肺泡巨噬细胞", "", "AM", 0.0),
        ("並且抑制了環氧合酶", "cyclooxygenase and peroxidase", "COX", 1.0),
        ("注射 10 毫克地塞米松", "dexamethasone", "", 0.0),
        ("患者出现肝脂肪变性", "hepatic steatosis", "", 0.0),
        ("可以使得轻度肝脂肪变性", "mild hepatic steatosis", "", 0.0),
    ]
    produced = {
        name
        for options in collect_options(contexts, ["肝脂肪变性，外侧膝状体。"], known=[("外侧膝状体", "")])
        for option in options
        for name in option.features
    }
    assert produced <= set(boundary_weights())


def test_shipped_file_says_how_it_was_fitted():
    data = load_weights("boundary.json")
    assert data["weights"] and all(isinstance(value, float | int) for value in data["weights"].values())
    assert json.dumps(data)  # plain data


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "dev" / "gold").is_dir(), reason="needs ../shared/dev (texts with answer keys)")
def test_fit_script_reports_leave_one_text_out(capsys):
    assert main([str(SHARED), "--iterations", "5"]) == 0
    out = capsys.readouterr().out
    assert "leave-one-text-out" in out and "dev total (leave-one-text-out)" in out
