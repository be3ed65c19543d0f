"""Reports built by hand for the renderers' tests, and a reader of the pages they draw."""

from __future__ import annotations

from html.parser import HTMLParser
from itertools import pairwise
from typing import Any

from gate.git.diff import Changed
from gate.report.records import (
    Report,
    Signoff,
    SignoffState,
    SystemResult,
    VersionChange,
    Violation,
)

# Elements that start a new line (or a new box) on the page: their text never runs together.
BLOCKS = {"p", "div", "li", "td", "th", "h1", "h2", "dt", "dd", "summary", "text", "header"}
EVIL = '<img src=x onerror="alert(1)">&amp;'


class Page(HTMLParser):
    """The tags, attributes and visible text of a page, as a browser's parser sees them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script", "title"):
            self._skip += 1
        self.text.append(" " if tag in BLOCKS else "")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1
        self.text.append(" " if tag in BLOCKS else "")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    def find(self, tag: str, cls: str | None = None) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and (cls is None or cls in (attrs.get("class") or "").split())
        ]

    def words(self) -> str:
        return " ".join("".join(self.text).split())


def unsigned(*waiting: str) -> SignoffState:
    return SignoffState(required=True, satisfied=False, rule="any", waiting_for=waiting)


def system(sid: str, *chains: tuple[str, ...], **fields: Any) -> SystemResult:
    defaults: dict[str, Any] = {
        "affected": "impacted" if chains else "touched",
        "because": chains,
        "owners": ("team",),
        "signoff": unsigned("team"),
    }
    return SystemResult(id=sid, **{**defaults, **fields})


def report_of(*systems: SystemResult, **fields: Any) -> Report:
    edges = tuple(
        dict.fromkeys(pair for s in systems for chain in s.because for pair in pairwise(chain))
    )
    defaults: dict[str, Any] = {
        "verdict": "blocked",
        "base": "b" * 40,
        "head": "h" * 40,
        "merge_base": "m" * 40,
        "map_source": "dependency-map.yaml@" + "b" * 40,
        "map_sha256": "5" * 64,
        "changed": (Changed(status="M", path="config/db.rb"),),
        "systems": systems,
        "pending": tuple(s.id for s in systems if not s.signoff.satisfied),
        "unmapped": (),
        "edges": edges,
    }
    return Report(**{**defaults, **fields})


def violation(**fields: Any) -> Violation:
    """pg-dump-backup 9.2.18 against postgresql 9.6.1, or what fields say instead."""
    defaults: dict[str, Any] = {
        "dependent": "pg-dump-backup",
        "dependency": "postgresql",
        "requires": ">=9.6",
        "rule": ">={major}",
        "version": "9.2.18",
        "dependency_version": "9.6.1",
        "already_at_base": False,
        "reason": "pg_dump refuses to dump a server of a newer major version",
    }
    return Violation(**{**defaults, **fields})


def upgrade_report(**fields: Any) -> Report:
    signed = SignoffState(
        required=True,
        satisfied=True,
        rule="any",
        by=(
            Signoff(
                system="alerts",
                by="dave",
                commit="h" * 40,
                source="ledger",
                note="ok",
                at="2017-01-31T10:00:00Z",
            ),
        ),
    )
    return report_of(
        system(
            "postgresql",
            kind="database",
            version=VersionChange(before="9.2.18", after="9.6.1", bump="major"),
        ),
        system("pg-dump-backup", ("postgresql", "pg-dump-backup"), violations=(violation(),)),
        system("alerts", ("postgresql", "pg-dump-backup", "alerts"), signoff=signed),
        **fields,
    )


def many(count: int) -> Report:
    """A wide change: 5 touched systems, each reaching a fan of dependents two levels deep."""
    touched = [system(f"touched-{t}") for t in range(5)]
    impacted = []
    for index in range(count - 5):
        root = f"touched-{index % 5}"
        if index < 60:
            impacted.append(system(f"service-{index:03}", (root, f"service-{index:03}")))
        else:
            parent = f"service-{index % 60:03}"
            impacted.append(
                system(
                    f"consumer-with-a-long-name-{index:03}",
                    (root, parent, f"consumer-with-a-long-name-{index:03}"),
                )
            )
    return report_of(*touched, *impacted)
