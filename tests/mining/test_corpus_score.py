"""The seed corpus scores at least 0.95 pair F1 and abbreviation F1 against the gold keys."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from glossary.mining import mine_files

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def test_seed_corpus_reaches_the_f1_floor(tmp_path):
    corpus, gold, scorer = SHARED / "corpus", SHARED / "eval" / "gold", SHARED / "eval" / "score.py"
    if not corpus.is_dir() or not scorer.is_file():
        pytest.skip("../shared/corpus not found: the corpus score needs the shared folder beside the checkout")
    mined = tmp_path / "mined.jsonl"
    with mined.open("w", encoding="utf-8") as out:
        for candidate in mine_files(sorted(corpus.glob("*.txt"))):
            out.write(json.dumps(candidate.to_dict(), ensure_ascii=False) + "\n")
    result = subprocess.run(
        [sys.executable, str(scorer), str(mined), *map(str, sorted(gold.glob("*.tsv"))), "--min-f1", "0.95"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
