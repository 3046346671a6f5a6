#!/usr/bin/env bash
# The award report of 3 percelen × 1,000 bids × 10 criteria × 5 assessors against
# rust_xlsxwriter alone. Usage: bench/award.sh [sqlite|postgres] [--bids N] [--lots L]
# PostgreSQL: the server of TEST_DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; shift || true
cargo build --release --quiet --bin aanbesteding --example award
target/release/examples/award --backend "$backend" "$@"
