#!/usr/bin/env bash
# Throughput and p99 latency of the tender page and the tender API endpoint, each as a ratio to
# the minimal plaintext handler (/health/live) of the same binary, measured in the same run.
# Needs wrk (Debian package `wrk`). Usage: bench/run.sh [seconds per endpoint, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
command -v wrk >/dev/null || { echo "wrk ontbreekt: apt-get install wrk" >&2; exit 1; }

cargo build --release --quiet
dir="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null; rm -rf "$dir"' EXIT
DATA_DIR="$dir" DATABASE_URL="$dir/bench.db" BIND_ADDRESS=127.0.0.1:0 RUST_LOG=warn \
  target/release/aanbesteding serve --demo > "$dir/out" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -q "luistert op" "$dir/out" && break; sleep 0.1; done
base="$(grep -o 'http://[0-9.:]*' "$dir/out" | head -1)"
# A logged-in inkoper: replace the demo account's one-time password and use the token as session.
one_time="$(awk '$2 == "inkoper@westfriesland.example" {print $3}' "$dir/out")"
token="$(curl -s -X POST "$base/api/v1/auth/password" -H 'Content-Type: application/json' \
  -d "{\"email\":\"inkoper@westfriesland.example\",\"current_password\":\"$one_time\",\"new_password\":\"benchmark-wachtwoord-123\"}" \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/')"

declare -A rps p99
names="baseline page api staff"
for name in $names; do
  header="X-Bench: 1"
  case $name in
    baseline) url="$base/health/live" ;;
    page) url="$base/aanbestedingen/1" ;;
    api) url="$base/api/v1/tenders/1" ;;
    staff) url="$base/aanbestedingen/1"; header="Cookie: aanbesteding_sessie=$token" ;;
  esac
  wrk -t2 -c64 -d2s -H "$header" "$url" > /dev/null   # warm up
  out="$(wrk -t2 -c64 -d"${seconds}s" --latency -H "$header" "$url")"
  echo "$out" | grep -q "Non-2xx" && { echo "$name: non-2xx answers"; echo "$out"; exit 1; }
  rps[$name]="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  p99[$name]="$(echo "$out" | awk '$1 == "99%" {print $2}')"
done

printf '%-36s %12s %8s %10s\n' endpoint requests/s ratio p99
for name in $names; do
  case $name in
    baseline) label="GET /health/live (plaintext)" ;;
    page) label="GET /aanbestedingen/1 (page)" ;;
    api) label="GET /api/v1/tenders/1 (JSON)" ;;
    staff) label="GET /aanbestedingen/1 as inkoper" ;;
  esac
  ratio="$(awk -v a="${rps[$name]}" -v b="${rps[baseline]}" 'BEGIN {printf "%.2f", a / b}')"
  printf '%-36s %12s %7sx %10s\n' "$label" "${rps[$name]}" "$ratio" "${p99[$name]}"
done
