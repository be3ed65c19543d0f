"""change-impact-gate: stop a change until the owners of every system it affects sign off."""

__version__ = "0.1.0"

DEFAULT_MAP_PATH = "dependency-map.yaml"
