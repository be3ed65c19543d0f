"""The suite's process: what it inherits from the machine it runs on must not change a result."""

from __future__ import annotations

import os

# On a GitHub Actions runner the installed `gate` stops workflow commands around its output;
# the tests that want that set the variable themselves.
os.environ.pop("GITHUB_ACTIONS", None)
