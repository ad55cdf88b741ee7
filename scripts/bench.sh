#!/usr/bin/env bash
# Runs talkgraph's benchmarks in one go and writes docs/benchmarks.md:
#   internal/seed    BenchmarkSeed        seed keys/s and relations/s beside a raw Badger WriteBatch
#   internal/cli     BenchmarkSeedRSS     peak RSS of `talkgraph seed` (a child process)
#   internal/server  BenchmarkQueries     p50, p99 and req/s of queries through the HTTP server, and baselines
#   internal/cli     BenchmarkColdStart   process start to first answered query
# at 1k, 10k and 100k talks. Environment:
#   BENCH_SIZES="1000 10000"   talk counts (default "1000 10000 100000"; 100k takes the better part of an hour)
#   BENCH_CLIENTS=16           concurrent query clients
#   BENCH_QUERY_TIME=2s        -benchtime of each query benchmark
#   BENCH_COLD_TIME=10x        -benchtime of each cold start case
#   BENCH_OUT=docs/benchmarks.md
# Data sets and the seeded databases are cached in ${TMPDIR:-/tmp} (talkgraph-bench-*), so later
# runs skip building them. A step that fails does not stop the others; the script then exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${BENCH_SIZES:-1000 10000 100000}
clients=${BENCH_CLIENTS:-16}
query_time=${BENCH_QUERY_TIME:-2s}
cold_time=${BENCH_COLD_TIME:-10x}
out=${BENCH_OUT:-docs/benchmarks.md}
export TALKGRAPH_BENCH_TALKS=$sizes TALKGRAPH_BENCH_CLIENTS=$clients

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
load_start=$(cat /proc/loadavg 2>/dev/null || true)
failed=()

# bench NAME PACKAGE PATTERN BENCHTIME: one go test run, its output kept in $work/NAME.txt.
bench() {
  local name=$1 pkg=$2 pattern=$3 benchtime=$4
  local cmd=(go test -run '^$' -bench "$pattern" -benchtime "$benchtime" -timeout 0 "$pkg")
  local line="TALKGRAPH_BENCH_TALKS='$sizes' TALKGRAPH_BENCH_CLIENTS=$clients go test -run '^\$' -bench '$pattern' -benchtime $benchtime -timeout 0 $pkg"
  printf '== %s\n' "$line" >&2
  echo "$line" >>"$work/commands"
  if ! "${cmd[@]}" 2>&1 | tee "$work/$name.txt"; then
    failed+=("$name")
  fi
}

bench 1-seed ./internal/seed '^BenchmarkSeed$' 1x
bench 2-rss ./internal/cli '^BenchmarkSeedRSS$' 1x
bench 3-queries ./internal/server '^BenchmarkQueries$' "$query_time"
bench 4-cold ./internal/cli '^BenchmarkColdStart$' "$cold_time"

mkdir -p "$(dirname "$out")"
go run ./scripts/benchreport -o "$out" -clients "$clients" \
  -load-start "$load_start" -load-end "$(cat /proc/loadavg 2>/dev/null || true)" \
  -commands "$work/commands" -failed "${failed[*]:-}" "$work"/*.txt
echo "wrote $out" >&2
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
