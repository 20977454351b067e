"""Property: any text in, no exception out, every source offset inside the text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.mining import clean_text, mine_texts

PIECES = st.sampled_from(
    [
        "（",
        "）",
        "(",
        ")",
        "，",
        ",",
        "。",
        "\n",
        "\n\n",
        " ",
        "-",
        "⁃",
        "[12]",
        "［3-5］",
        "的",
        "和",
        "受体",
        "胰岛素",
        "腫瘤",
        "HPA",
        "IL-6",
        "κB",
        "insulin",
        "growth factor",
        "关键词：",
        "Key words:",
        "；",
        "eff ector",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_mining_any_text_keeps_offsets_inside(text):
    for candidate in mine_texts([("x.txt", text)]):
        assert 0 <= candidate.confidence <= 1
        for source in candidate.sources:
            assert 0 <= source["start"] <= source["end"] <= len(text)


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.data())
def test_cleaned_positions_map_into_the_source(text, data):
    clean = clean_text(text)
    if not clean.text:
        return
    start = data.draw(st.integers(0, len(clean.text)))
    end = data.draw(st.integers(start, len(clean.text)))
    source_start, source_end = clean.source_span(start, end)
    assert 0 <= source_start <= source_end <= len(text)
