"""Benchmark inputs for impact: a large dependency graph, made in memory from a seed."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from gate.depmap.records import Edge

SEED = 1917
NODES = 100_000
MEAN_DEPENDENCIES = 3.0
# Most systems depend on ones built before them; this share of edges points the other way and
# closes cycles.
BACKWARDS = 0.03
HUBS_TOUCHED, OTHERS_TOUCHED = 3, 7


@dataclass(frozen=True, kw_only=True)
class Graph:
    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]
    touched: dict[str, str | None]  # what a change touched: hubs and a few others


def graph(nodes: int = NODES, *, seed: int = SEED) -> Graph:
    """nodes systems with about 3 dependencies each, chosen with a preference for hubs."""
    rng = random.Random(seed)
    ids = tuple(f"n{index:06}" for index in range(nodes))
    # Preferential attachment, roughly: the k-th system is depended on in proportion to 1/k.
    cumulative = list(itertools.accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(nodes)))
    edges: list[Edge] = []
    for index, dependent in enumerate(ids):
        wanted = min(nodes - 1, int(rng.expovariate(1 / MEAN_DEPENDENCIES) + 0.5))
        chosen: set[int] = set()
        for _ in range(wanted * 4):  # bounded retries: the first systems have few to choose from
            if len(chosen) == wanted:
                break
            target = rng.choices(range(nodes), cum_weights=cumulative)[0]
            if target == index or (target > index and rng.random() >= BACKWARDS):
                continue
            chosen.add(target)
        edges += [Edge(dependent=dependent, dependency=ids[target]) for target in sorted(chosen)]
    hubs = range(HUBS_TOUCHED)
    others = rng.sample(range(HUBS_TOUCHED, nodes), OTHERS_TOUCHED)
    touched: dict[str, str | None] = {ids[index]: None for index in (*hubs, *others)}
    return Graph(nodes=ids, edges=tuple(edges), touched=touched)
