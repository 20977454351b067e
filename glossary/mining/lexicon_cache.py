"""The parsed CC-CEDICT on disk: one marshal file, so that a process starts in a fraction of a second.

Parsing and stemming the dictionary takes a few seconds. The result (glosses,
character senses, verbs, vocabulary and the stem memo) is kept in a folder
named by :func:`~glossary.mining.lexicon.configure_cache`, under a file name
that says which CC-CEDICT, stemmer, format and Python wrote it: a file from any
other combination is ignored, replaced, and its stale siblings removed.

The cache file is derived from CC-CEDICT (CC BY-SA 4.0) under the same licence.
"""

from __future__ import annotations

import marshal
import sys
import tempfile
from pathlib import Path

from .cedict import CEDICT_PACKAGE
from .stemming import remember_stems

__all__ = ["CACHE_FORMAT", "CACHE_KEYS", "cache_name", "read_cache", "write_cache"]

CACHE_FORMAT = 2  # bump whenever parsing or stemming changes: old cache files are then ignored
CACHE_KEYS = frozenset(("glosses", "characters", "vocabulary", "stems", "verbs"))


def cache_name() -> str:
    """The file name for this CC-CEDICT package, stemmer, :data:`CACHE_FORMAT` and Python."""
    from importlib import metadata

    versions = "-".join(metadata.version(name) for name in (CEDICT_PACKAGE, "snowballstemmer"))
    return f"cedict-lexicon-{versions}-f{CACHE_FORMAT}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"


def read_cache(path: Path) -> dict[str, object] | None:
    """The data in the cache file, the stem memo seeded from it; ``None`` if missing, damaged or incomplete."""
    if not path.is_file():
        return None
    try:
        data = marshal.loads(path.read_bytes())
        if isinstance(data, dict) and CACHE_KEYS <= data.keys():
            remember_stems(data["stems"])
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass  # unreadable or from another Python: the caller parses again and replaces it
    return None


def write_cache(path: Path, data: dict[str, object]) -> None:
    """Write the data to ``path`` and remove cache files of other versions beside it."""
    _write_atomically(path, marshal.dumps(data))
    for stale in path.parent.glob("cedict-lexicon-*.marshal"):  # from older package versions
        if stale != path:
            stale.unlink(missing_ok=True)


def _write_atomically(path: Path, content: bytes) -> None:
    """Write beside the final name and rename, so a reader never sees half a file."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp", delete=False) as file:
            temporary = Path(file.name)
            file.write(content)
        temporary.chmod(0o644)  # public data: readable by the web server and the CLI alike
        temporary.replace(path)
    except OSError:  # a read-only folder costs speed, not correctness
        if temporary is not None:
            temporary.unlink(missing_ok=True)
