#!/bin/sh
# Load the latest snapshot into staging.
lvconvert --merge /dev/vg0/db-snap
