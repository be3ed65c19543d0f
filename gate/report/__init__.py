"""Reports: the outcome of one evaluation, and the formats that draw it."""
