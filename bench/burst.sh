#!/usr/bin/env bash
# The deadline burst: 200 aanbieders each upload 5 MB and submit in the last 60 s before the
# deadline, 10 more just after it. Usage: bench/burst.sh [sqlite|postgres] [extra options]
# PostgreSQL: the server of TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; shift || true
cargo build --release --quiet --bin aanbesteding --example deadline_burst
target/release/examples/deadline_burst --backend "$backend" "$@"
