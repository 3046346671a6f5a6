#!/usr/bin/env bash
# The beoordeling at scale: ranking 1,000 bids × 10 criteria × 5 assessors, a score sheet and
# the consensus overview under load. Usage: bench/evaluation.sh [sqlite|postgres] [--bids N] [--seconds S]
# Needs wrk (Debian package `wrk`). PostgreSQL: the server of TEST_DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; shift || true
command -v wrk >/dev/null || { echo "wrk ontbreekt: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet --bin aanbesteding --example evaluation
target/release/examples/evaluation --backend "$backend" "$@"
