"""Mining tests share one parsed CC-CEDICT cache, as a deployment does under instance/."""

from pathlib import Path

from glossary.mining.lexicon import configure_cache

configure_cache(Path(__file__).resolve().parents[2] / "instance" / "cache")
