#!/bin/sh
# Daily snapshot of the database volume.
lvcreate --snapshot --size 100G --name db-snap /dev/vg0/postgresql
