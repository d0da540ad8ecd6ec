#!/usr/bin/env bash
# pg_fresh.sh — creates an empty database on the test suite's PostgreSQL
# ($TUIKE_TEST_PG_FILE, written by pg_fixture.sh) and prints its URI.
set -euo pipefail
file=${TUIKE_TEST_PG_FILE:?TUIKE_TEST_PG_FILE is not set: run under ctest}
base=$(sed -n 1p "$file")
host=${base#*host=}
name="t_$$_$(date +%s%N | tail -c 7)_$RANDOM"
psql -q -h "$host" -U tuike -d tuike -c "CREATE DATABASE $name" >/dev/null
echo "postgresql://tuike@/$name?host=$host"
