#!/usr/bin/env bash
# Times the forgiving search and the suggestions (issue 20) at 100,000 talks
# and writes the results into docs/benchmarks.md, between the markers
# <!-- forgiving:begin --> and <!-- forgiving:end -->:
#   internal/lexicon  BenchmarkForgiving  p50 and p99 of searches with typos and
#   prefixes beside the same words as typed (the baseline of the same run),
#   bleve's fuzzy, prefix and match queries on the same talks, and suggestions.
# Environment: BENCH_TALKS (default 100000), BENCH_N (iterations per case,
# default 300), BENCH_OUT (default docs/benchmarks.md). The data set, the
# seeded database and the bleve index are cached in ${TMPDIR:-/tmp}.
set -euo pipefail
cd "$(dirname "$0")/.."
talks=${BENCH_TALKS:-100000}
n=${BENCH_N:-300}
out=${BENCH_OUT:-docs/benchmarks.md}
raw=$(mktemp)
trap 'rm -f "$raw" "$raw.md"' EXIT
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)
cmd="TALKGRAPH_BENCH_TALKS=$talks go test -run '^\$' -bench Forgiving -benchtime ${n}x -timeout 0 ./internal/lexicon"
echo "== $cmd" >&2
TALKGRAPH_BENCH_TALKS=$talks go test -run '^$' -bench Forgiving -benchtime "${n}x" -timeout 0 ./internal/lexicon | tee "$raw"
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)

# rows: kind (search|suggest|bleve), case, p50, p99
awk -v talks="$talks" -v cmd="$cmd" -v commit="$(git rev-parse --short HEAD)" \
    -v when="$(date -u '+%Y-%m-%d %H:%M UTC')" -v l0="$load_start" -v l1="$load_end" '
/^Benchmark.*p50-ms/ {
  name = $1; sub(/-[0-9]+$/, "", name)
  split(name, part, "/")
  kind = part[3]; c = part[4]; gsub(/_/, " ", c)
  for (i = 2; i <= NF; i++) { if ($(i+1) == "p50-ms") p50 = $i; if ($(i+1) == "p99-ms") p99 = $i }
  key = kind "|" c
  P50[key] = p50; P99[key] = p99
  if (!(key in seen)) { order[++k] = key; seen[key] = 1 }
}
/dictionary of .* built in/ { built = $0; sub(/^.*built in /, "", built) }
END {
  base = P50["search|as typed, 1 word (baseline)"]
  printf "Measured %s on commit %s, load average %s → %s on the shared 2-CPU machine:\n\n", when, commit, l0, l1
  printf "```\n%s\n```\n\n", cmd
  if (built != "") printf "The dictionary of the %s talks (every term and name) was built in %s.\n\n", talks, built
  printf "| search | talkgraph p50 ms | p99 ms | p50 ÷ as typed, 1 word | bleve p50 ms | bleve p99 ms |\n|---|---:|---:|---:|---:|---:|\n"
  for (i = 1; i <= k; i++) {
    split(order[i], kc, "|")
    if (kc[1] != "search") continue
    b = "bleve|" kc[2]
    bp50 = (b in P50) ? sprintf("%.2f", P50[b]) : "—"
    bp99 = (b in P99) ? sprintf("%.2f", P99[b]) : "—"
    printf "| %s | %.2f | %.2f | %.1f× | %s | %s |\n", kc[2], P50[order[i]], P99[order[i]], P50[order[i]] / base, bp50, bp99
  }
  printf "\n| suggest (text typed) | p50 ms | p99 ms |\n|---|---:|---:|\n"
  for (i = 1; i <= k; i++) {
    split(order[i], kc, "|")
    if (kc[1] == "suggest") printf "| `%s` | %.2f | %.2f |\n", kc[2], P50[order[i]], P99[order[i]]
  }
}' "$raw" >"$raw.md"

# Replace what lies between the markers, or add the section at the end.
if grep -q '<!-- forgiving:begin -->' "$out"; then
  awk -v f="$raw.md" '
    /<!-- forgiving:begin -->/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
    /<!-- forgiving:end -->/ { skip = 0 }
    !skip { print }' "$out" >"$out.tmp" && mv "$out.tmp" "$out"
else
  { echo; echo '<!-- forgiving:begin -->'; cat "$raw.md"; echo '<!-- forgiving:end -->'; } >>"$out"
fi
echo "wrote $out" >&2
