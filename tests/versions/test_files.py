"""Version files as git reads them: at head in the background, waited for at the first look."""

from __future__ import annotations

from pathlib import Path

from gate.depmap.records import PatternRule, System
from gate.git import blobs
from gate.versions.files import AtHead, VersionFiles, read_version_files, version_files
from gate.versions.versioned import Versions
from testing.gitrepo import GitRepo

SPEC = PatternRule(file="db.rb", pattern=r"version '(?P<version>[^']+)'")
SYSTEMS = {"db": System(id="db", owners=("dba",), version=SPEC)}


class Counted(blobs.Reading):
    """A real reading that counts how often its result is asked for."""

    asked = 0

    def result(self) -> blobs.Contents:
        self.asked += 1
        return super().result()


def test_the_files_at_head_are_waited_for_only_when_a_version_is_read(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    head = repo.commit("first", ("db.rb", "version '16.2'\n"))
    with Counted(str(repo.path), [head], ["db.rb"]) as reading:
        at_head = AtHead(reading, head, SYSTEMS)
        versions = Versions(
            SYSTEMS, VersionFiles(head=at_head, base={}), merge_base=head, head=head
        )
        assert reading.asked == 0  # nothing needed a version yet: nothing waits for git
        after = versions.after("db")
        assert after is not None
        assert after.text == "16.2"
        assert (dict(at_head), reading.asked) == ({"db.rb": b"version '16.2'\n"}, 1)


def test_a_version_file_that_is_a_link_at_the_merge_base_is_no_file_there(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write("real.rb", "version '9.2'\n")
    repo.symlink("db.rb", "real.rb")
    base = repo.commit("a link")
    repo.remove("db.rb")
    head = repo.commit("a file", ("db.rb", "version '9.6'\n"))
    before = {"db.rb": ("120000", repo.git("rev-parse", f"{base}:db.rb"))}
    with version_files(str(repo.path), head, SYSTEMS) as at_head:
        files = read_version_files(
            str(repo.path), base, head, SYSTEMS, at_head=at_head, paths=["db.rb"], before=before
        )
        versions = Versions(SYSTEMS, files, merge_base=base, head=head)
        assert versions.before("db") is None
        assert versions.bump("db") == "added"
