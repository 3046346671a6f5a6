#!/usr/bin/env bash
# The capacity dashboard at regional and national scale against the plaintext handler.
# Usage: bench/capacity.sh [sqlite|postgres] [regional|national] [seconds]
# Needs wrk (Debian package `wrk`). PostgreSQL: the server of TEST_DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk ontbreekt: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet --bin aanbesteding --example capacity
target/release/examples/capacity "$@"
