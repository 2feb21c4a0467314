#!/usr/bin/env bash
# Side by side against the raw load (bench/README.md, "Full build against the raw load"): each round, a raw
# `oxigraph load` of the project's files, then a full `visitgraph build --json` by another checkout (REF) and by
# this one, in alternating order, same data; prints each build's wall time, its step timings and the load average.
# Usage: P=/path/to/project REF=/path/to/other/checkout R=3 bench/sbs_raw_build.sh
#   (a project from `bench_scale.py --phases generate`; its var/ is removed before each build)
#   START=n begins at round n (odd rounds run ref first, even rounds this first).
#   ONLY=this builds only this checkout after each raw load (REF is then not needed; a scale too large for two).
#   CPU=1 also prints each build's CPU seconds (its children's included).
#   ANSWERS=1 keeps each build's stored answers in $OUT/answers-<code>-<round> (to compare them afterwards).
#   QUERIES=1 builds with each checkout's own saved queries: its queries/ is copied over $P/queries before its
#   build (a generated project carries the queries of the checkout that generated it; a change that rewrites a
#   saved query is measured only this way).
#
# Example:
#
#   P=/tmp/vg-10k REF=/tmp/ref R=3 CPU=1 bench/sbs_raw_build.sh
case "${1:-}" in
  "") ;;
  -h | --help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0" && exit 0 ;;
  *) echo "usage: $(sed -n 's/^# Usage: //p' "$0")" >&2
     echo "sbs_raw_build.sh: error: unrecognized argument: $1 (settings come from the environment; see --help)" >&2
     exit 2 ;;
esac
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
PY=${PY:-$HERE/.venv/bin/python}
OXIGRAPH=$(dirname "$PY")/oxigraph
P=${P:?set P to a generated project}
if [ "${ONLY:-}" = this ]; then REF=${REF:-$HERE}; else REF=${REF:?set REF to the other checkout (or ONLY=this)}; fi
R=${R:-3}
OUT=${OUT:-$(mktemp -d /tmp/sbs-raw-build-XXXX)}
declare -A SRC=([ref]=$REF [this]=$HERE)
for r in $(seq "${START:-1}" "$R"); do  # START=2 R=2: only the second round (this first, then ref)
  rm -rf "$OUT/raw"
  s=$(date +%s.%N)
  # shellcheck disable=SC2046
  nice -n 5 "$OXIGRAPH" load --location "$OUT/raw" --base https://w3id.org/visitgraph/id/ \
    --file $(find "$P/data" \( -name '*.nt' -o -name '*.ttl' \) | sort) "$P"/ontology/*.ttl > /dev/null 2>&1
  rc=$?
  e=$(date +%s.%N)
  echo "round $r raw rc=$rc raw_s=$(echo "$e - $s" | bc) load=$(cut -d' ' -f1 /proc/loadavg)"
  if [ $((r % 2)) = 1 ]; then order="ref this"; else order="this ref"; fi
  if [ "${ONLY:-}" = this ]; then order="this"; fi
  for c in $order; do
    rm -rf "$P/var"
    if [ "${QUERIES:-0}" = 1 ]; then rm -rf "$P/queries" && cp -r "${SRC[$c]}/queries" "$P/queries"; fi
    l0=$(cut -d' ' -f1 /proc/loadavg)
    s=$(date +%s.%N)
    # CPU=1: the build's CPU time, its children's included (GNU time: wall, user, system seconds), in $OUT/$c-$r.cpu
    if [ "${CPU:-0}" = 1 ]; then timed=(/usr/bin/time -f "%e %U %S" -o "$OUT/$c-$r.cpu"); else timed=(); fi
    PYTHONPATH=${SRC[$c]}/src nice -n 5 "${timed[@]}" "$PY" -m visitgraph --root "$P" build --json > "$OUT/$c-$r.json" 2> "$OUT/$c-$r.err"
    rc=$?
    e=$(date +%s.%N)
    t=$("$PY" -c "import json; print(json.load(open('$OUT/$c-$r.json'))['timings'])" 2>/dev/null)
    cpu=$(cat "$OUT/$c-$r.cpu" 2>/dev/null)
    echo "round $r $c rc=$rc build_s=$(echo "$e - $s" | bc) load=$l0→$(cut -d' ' -f1 /proc/loadavg) at=$(date -u +%H:%M:%S) ${cpu:+cpu(wall user sys)=$cpu }$t"
    if [ "${ANSWERS:-0}" = 1 ]; then cp -r "$P/var/store/answers" "$OUT/answers-$c-$r"; fi
  done
done
rm -rf "$OUT/raw"
