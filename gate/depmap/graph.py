"""The map's dependencies indexed for impact walks: the edges out of each system."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar


class _Dependency(Protocol):
    """What the index needs of a dependency (an Edge)."""

    @property
    def dependent(self) -> str: ...
    @property
    def dependency(self) -> str: ...
    @property
    def on(self) -> str: ...


E = TypeVar("E", bound=_Dependency)


class Graph(Generic[E]):
    """The edges out of each system (to its dependents), indexed once for many walks."""

    __slots__ = ("edges", "out", "out_any", "targets_any")

    def __init__(self, edges: Iterable[E]) -> None:
        self.edges = tuple(edges)  # in the order given
        out: dict[str, list[E]] = {}
        for edge in self.edges:
            bucket = out.get(edge.dependency)
            if bucket is None:
                out[edge.dependency] = [edge]
            else:
                bucket.append(edge)
        self.out = {source: tuple(found) for source, found in out.items()}
        # A system reached only through impact passes it on across `on: any` edges alone.
        self.out_any = {
            source: tuple(edge for edge in found if edge.on == "any")
            for source, found in self.out.items()
        }
        self.targets_any = {
            source: tuple(edge.dependent for edge in found)
            for source, found in self.out_any.items()
        }
