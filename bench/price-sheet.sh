#!/usr/bin/env bash
# Import time of a prijzenblad of 10,000 lines against calamine reading the same file directly.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin aanbesteding --example price_sheet_import
target/release/examples/price_sheet_import target/release/aanbesteding
