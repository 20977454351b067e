"""Mining speed on the seed corpus, against one plain jieba pass over the same text; PDF extraction per page.

Mines every ``*.txt`` of the corpus together (as ``flask mine`` does), warm:
one untimed run loads jieba's dictionary and OpenCC first; the per-phrase
caches are emptied before each timed run, so no answer is remembered. Times the
best of several runs of the whole pipeline and of one ``jieba.lcut`` over the
concatenated texts, and prints both and their ratio (goal: ≤ 2×). Beside it,
the corpus text set as a 20-page two-column A4 PDF (reportlab, font
STSong-Light, running head and page numbers) is read by the upload reader
(:mod:`glossary.ingest`), and the best time is printed per page (goal: ≤ 50 ms).

    .venv/bin/python bench/mine.py                   # ../shared/corpus beside the checkout
    .venv/bin/python bench/mine.py path/to/corpus --repeat 5
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from glossary.ingest import read_document as read_upload  # noqa: E402
from glossary.mining import mine_texts, read_document  # noqa: E402
from glossary.mining.boundary import _featured  # noqa: E402
from glossary.mining.lexicon import configure_cache  # noqa: E402
from glossary.mining.words import segment  # noqa: E402
from glossary.text.convert import clear_conversion_cache  # noqa: E402

CACHE = ROOT / "instance" / "cache"  # where the app keeps the parsed CC-CEDICT
LOAD_LEXICON = (
    "import time, sys; sys.path.insert(0, {root!r}); start = time.perf_counter(); "
    "from glossary.mining.lexicon import configure_cache, default_lexicon; configure_cache({cache!r}); "
    "default_lexicon().knows('细胞'); print(time.perf_counter() - start)"
)


def mine_cold_caches(docs: list[tuple[str, str]]) -> None:
    """Mine with the per-phrase caches emptied: warm dictionaries, but no answers remembered."""
    segment.cache_clear()
    _featured.cache_clear()
    clear_conversion_cache()
    mine_texts(docs)


def lexicon_load_seconds() -> float:
    """Loading the lexicon in a fresh process, as a worker does on its first mining (cache file present)."""
    import subprocess

    command = [sys.executable, "-c", LOAD_LEXICON.format(root=str(ROOT), cache=str(CACHE))]
    subprocess.run(command, check=True, capture_output=True)  # writes the cache file if it is missing
    return float(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


PDF_PAGES = 20


def corpus_pdf(text: str, pages: int = PDF_PAGES) -> bytes:
    """``text`` set in two columns on A4 pages, with a running head and page numbers, until ``pages`` are full."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width, height = A4
    size, leading, margin, gap = 9.5, 13.0, 50.0, 20.0
    column_width = (width - 2 * margin - gap) / 2
    per_line = int(column_width // size)  # Han characters are one em wide
    lines = [
        paragraph[i : i + per_line]
        for paragraph in text.splitlines()
        if paragraph.strip()
        for i in range(0, len(paragraph), per_line)
    ]
    per_column = int((height - 2 * margin - 20) // leading)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    position = 0
    for page in range(1, pages + 1):
        pdf.setFont("STSong-Light", 8)
        pdf.drawString(margin, height - 30, "生物医学综述 · 语料")
        pdf.drawCentredString(width / 2, 24, str(page))
        pdf.setFont("STSong-Light", size)
        for column in range(2):
            y = height - margin - 20
            for _ in range(per_column):
                pdf.drawString(margin + column * (column_width + gap), y, lines[position % len(lines)])
                position += 1
                y -= leading
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def best_time(function, repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds: the least disturbed measurement."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "corpus",
        nargs="?",
        default=str(ROOT.parent / "shared" / "corpus"),
        help="folder of .txt articles (default: ../shared/corpus beside the checkout)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each; the best is kept")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    paths = sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
    if not paths:
        print(f"no corpus: {corpus} has no .txt files (pass the corpus folder as the first argument)", file=sys.stderr)
        return 2
    docs = [(path.name, read_document(path.read_bytes(), path.name)) for path in paths]
    joined = "\n".join(text for _, text in docs)

    configure_cache(CACHE)
    import jieba

    jieba.setLogLevel(60)
    jieba.lcut(joined)  # warm: dictionary loaded
    candidates = mine_texts(docs)  # warm: jieba, OpenCC and caches ready

    mine_seconds = best_time(lambda: mine_cold_caches(docs), args.repeat)
    jieba_seconds = best_time(lambda: jieba.lcut(joined), args.repeat)
    print(f"corpus: {len(docs)} files, {len(joined):,} characters, {len(candidates)} candidates")
    print(f"mine (warm):       {mine_seconds * 1000:8.1f} ms")
    print(f"jieba.lcut (warm): {jieba_seconds * 1000:8.1f} ms")
    print(f"ratio:             {mine_seconds / jieba_seconds:8.2f}x  (goal <= 2x)")
    pdf = corpus_pdf(joined)
    read = read_upload(pdf, "corpus.pdf")  # warm: PDFium loaded
    pdf_seconds = best_time(lambda: read_upload(pdf, "corpus.pdf"), args.repeat)
    print(
        f"PDF extraction:    {pdf_seconds * 1000 / read.pages:8.1f} ms a page  (goal <= 50 ms; {read.pages} pages, "
        f"{len(pdf) // 1024} kB, {read.characters:,} characters read)"
    )
    print(f"lexicon load, fresh process, cached: {lexicon_load_seconds() * 1000:6.0f} ms  (goal <= 1000 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
