"""Weighted draws shared by the generators."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from typing import Any


class Weighted:
    """A fixed weighted choice, drawn with one `random()` call."""

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]
