"""Learned weights of the miner, shipped as data beside the script that fits them.

``boundary.json`` holds the weights of the linear model that ranks where a
Chinese term starts (features in :mod:`glossary.mining.boundary`). It is
written by ``python -m glossary.mining.weights.fit`` from the seed articles
and the development texts with their answer keys, and never edited by hand.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

__all__ = ["boundary_weights", "load_weights"]


def load_weights(name: str) -> dict:
    """The whole weights file ``name`` (its weights and how they were fitted)."""
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def boundary_weights() -> dict[str, float]:
    """Feature name → weight for ranking boundary options."""
    return {name: float(value) for name, value in load_weights("boundary.json")["weights"].items()}
