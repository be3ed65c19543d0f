from __future__ import annotations

import pytest

from gate.depmap.records import Edge, System
from gate.errors import GateError
from gate.versions.files import VersionFiles
from gate.versions.versioned import Versions
from gate.versions.violations import violations_of
from testing.infra import infra_repo


def test_a_requirement_without_versions_is_an_error_never_a_pass(tmp_path):
    # The loader refuses such a map; a record built around it must still fail closed.
    repo = infra_repo(tmp_path)
    head = repo.head()
    systems = {sid: System(id=sid, owners=("dba",)) for sid in ("server", "client")}
    edge = Edge(dependent="client", dependency="server", requires=">={major}")
    versions = Versions(systems, VersionFiles(head={}, base={}), merge_base=head, head=head)
    with pytest.raises(GateError, match="declares no version"):
        violations_of([edge], frozenset({"server"}), versions)
