#!/usr/bin/env bash
# seedscale.sh: seed synthetic data sets of several sizes, one after the
# other in the same run, each into a new database, as a user would
# (`talkgraph gen`, then `talkgraph seed`), and print, per size, the wall
# time, the CPU time, the peak RSS (from /usr/bin/time -v) and the peaks of
# its anonymous and file-backed parts (sampled every second from
# /proc/PID/status), the database's size and the machine's load, then the
# ratio of each size's wall time to the first's.
#
#   scripts/seedscale.sh [-b BINARY] [-w WORKDIR] SIZE...
#   scripts/seedscale.sh 100000 200000            # the issue-24 ratio
#   scripts/seedscale.sh -w /big/disk 1000000     # a million (2.8 GB of YAML,
#                                                 # about 15 GB free needed)
#
# Data sets are generated once into WORKDIR/data/sN and kept for the next
# run; databases are removed after each size. The per-second samples stay
# in WORKDIR/seedN.rss (seconds, RSS, anonymous, file, in MiB).
set -euo pipefail
bin="" work="${TMPDIR:-/tmp}/talkgraph-seedscale"
while getopts "b:w:" o; do
	case $o in
	b) bin=$OPTARG ;;
	w) work=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-b BINARY] [-w WORKDIR] SIZE..." >&2; exit 2; }
mkdir -p "$work/data"
if [ -z "$bin" ]; then
	bin="$work/talkgraph"
	go build -o "$bin" ./cmd/talkgraph
fi
first=""
printf '| talks | wall s | user+sys s | peak RSS MiB | peak anon MiB | peak file MiB | database MiB | load (1 min) at start, end | wall / first |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for n in "$@"; do
	data="$work/data/s$n"
	if [ ! -d "$data" ]; then
		"$bin" gen --talks "$n" --out "$data" >/dev/null
	fi
	db="$work/db$n"
	rm -rf "$db"
	load0=$(cut -d' ' -f1 /proc/loadavg)
	start=$(date +%s.%N)
	/usr/bin/time -v -o "$work/seed$n.time" "$bin" seed --db "$db" "$data" >"$work/seed$n.out" 2>&1 &
	tpid=$!
	: >"$work/seed$n.rss"
	pa=0 pf=0
	while kill -0 $tpid 2>/dev/null; do
		pid=$(pgrep -P $tpid | head -1 || true)
		if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then
			read -r r a f < <(awk '/^VmRSS/{r=$2}/^RssAnon/{a=$2}/^RssFile/{f=$2} END{print r+0, a+0, f+0}' "/proc/$pid/status" 2>/dev/null || echo 0 0 0)
			[ "$a" -gt "$pa" ] && pa=$a
			[ "$f" -gt "$pf" ] && pf=$f
			echo "$(echo "$(date +%s.%N) - $start" | bc | cut -d. -f1) $((r / 1024)) $((a / 1024)) $((f / 1024))" >>"$work/seed$n.rss"
		fi
		sleep 1
	done
	rc=0
	wait $tpid || rc=$?
	wall=$(echo "$(date +%s.%N) - $start" | bc)
	if [ $rc -ne 0 ]; then
		echo "seed of $n talks failed (exit $rc):" >&2
		cat "$work/seed$n.out" >&2
		exit 1
	fi
	cpu=$(awk -F': ' '/User time/{u=$2}/System time/{s=$2} END{printf "%.0f", u+s}' "$work/seed$n.time")
	rss=$(awk -F': ' '/Maximum resident/{printf "%.0f", $2/1024}' "$work/seed$n.time")
	size=$(du -sm "$db" | cut -f1)
	load1=$(cut -d' ' -f1 /proc/loadavg)
	[ -n "$first" ] || first=$wall
	printf '| %s | %.0f | %s | %s | %s | %s | %s | %s, %s | %.2f |\n' "$n" "$wall" "$cpu" "$rss" $((pa / 1024)) $((pf / 1024)) "$size" "$load0" "$load1" "$(echo "$wall / $first" | bc -l)"
	rm -rf "$db"
done
