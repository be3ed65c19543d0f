"""python -m gate"""

from gate.main import entry

entry()
