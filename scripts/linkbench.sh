#!/usr/bin/env bash
# Times `talkgraph link`'s work (issue 19) at 100,000 talks against the whole
# vocabulary, beside the baseline of the same run (reading and tokenizing
# the same talks' texts), and writes the result into docs/benchmarks.md,
# between the markers <!-- link:begin --> and <!-- link:end -->.
# Environment: BENCH_TALKS (default 100000), BENCH_OUT (default
# docs/benchmarks.md), BENCH_RAW (the output of an earlier run of the same
# go test command, to write up instead of running it again; then BENCH_LOAD
# and BENCH_COMMIT say the load and commit it ran with). The data set
# and its seeded database are cached in ${TMPDIR:-/tmp}.
set -euo pipefail
cd "$(dirname "$0")/.."
talks=${BENCH_TALKS:-100000}
out=${BENCH_OUT:-docs/benchmarks.md}
md=$(mktemp)
trap 'rm -f "$md"' EXIT
cmd="TALKGRAPH_BENCH_TALKS=$talks go test -run '^\$' -bench Link -benchtime 1x -timeout 0 ./internal/link"
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)
raw=${BENCH_RAW:-}
commit=$(git rev-parse --short HEAD)
if [ -n "$raw" ]; then
  load=${BENCH_LOAD:-not recorded}
  commit=${BENCH_COMMIT:-$commit}
fi
if [ -z "$raw" ]; then
  raw=$(mktemp)
  trap 'rm -f "$md" "$raw"' EXIT
  echo "== $cmd" >&2
  TALKGRAPH_BENCH_TALKS=$talks go test -run '^$' -bench Link -benchtime 1x -timeout 0 ./internal/link | tee "$raw"
  load="$load → $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)"
fi

awk -v talks="$talks" -v cmd="$cmd" -v commit="$commit" \
    -v when="$(date -u -r "$raw" '+%Y-%m-%d %H:%M UTC')" -v load="$load" '
/^BenchmarkLink\/.*\/tokenize/ { tok = $3; tokTalk = $5 }
/^BenchmarkLink\/.*\/link/ { lnk = $3; lnkTalk = $5; props = $7 }
END {
  if (tok == "" || lnk == "") { print "no BenchmarkLink results in the run" > "/dev/stderr"; exit 1 }
  printf "Measured %s on commit %s, load average %s on the shared 2-CPU machine:\n\n", when, commit, load
  printf "```\n%s\n```\n\n", cmd
  printf "| %s talks, whole vocabulary | wall s | µs per talk | ÷ baseline |\n|---|---:|---:|---:|\n", talks
  printf "| read and tokenize every title and description (baseline) | %.1f | %.0f | 1.0× |\n", tok / 1e9, tokTalk / 1e3
  printf "| link: every mention and works_at proposed (%d proposals) | %.1f | %.0f | %.1f× |\n", props, lnk / 1e9, lnkTalk / 1e3, lnk / tok
}' "$raw" >"$md"

if grep -q '<!-- link:begin -->' "$out"; then
  awk -v f="$md" '
    /<!-- link:begin -->/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
    /<!-- link:end -->/ { skip = 0 }
    !skip { print }' "$out" >"$out.tmp" && mv "$out.tmp" "$out"
else
  { echo; echo '## Linking 100,000 talks against the vocabulary (issue 19)'; echo
    echo 'What `talkgraph link` costs over a large graph: every talk'"'"'s title and description matched against every name and alias of the database (the vocabulary, dotScale and the generated talks'"'"' entities), with the family of each entity read once. `scripts/linkbench.sh` writes this section.'
    echo; echo '<!-- link:begin -->'; cat "$md"; echo '<!-- link:end -->'; } >>"$out"
fi
echo "wrote $out" >&2
