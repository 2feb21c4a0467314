#!/usr/bin/env bash
# Side-by-side (bench/README.md, "Across the package move"): a full `visitgraph build` of the same synthetic
# data by another checkout (default /tmp/premove) and this one, interleaved; prints each build's wall time.
# Usage: [N=visits] [R=rounds] [PREMOVE=other checkout] [WORK=scratch folder] [PY=python] bench/sbs_build.sh
#   Settings come from the environment: N (10000) synthetic visits, R (3) rounds, PREMOVE (/tmp/premove),
#   WORK (/tmp/visitgraph-sbs: removed first), PY (this checkout's .venv/bin/python). No arguments.
#
# Example:
#
#   N=10000 R=3 PREMOVE=/tmp/premove bench/sbs_build.sh
case "${1:-}" in
  "") ;;
  -h | --help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0" && exit 0 ;;
  *) echo "usage: $(sed -n 's/^# Usage: //p' "$0")" >&2
     echo "sbs_build.sh: error: unrecognized argument: $1 (settings come from the environment; see --help)" >&2
     exit 2 ;;
esac
set -u
PY=${PY:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/python}
W=${WORK:-/tmp/visitgraph-sbs}
N=${N:-10000}
R=${R:-3}
rm -rf $W; mkdir -p $W
HERE=$(cd "$(dirname "$0")/.." && pwd)
declare -A SRC=([premove]=${PREMOVE:-/tmp/premove} [main]=$HERE)
for c in premove main; do
  BENCH_WORK=$W/$c PYTHONPATH=${SRC[$c]}/src $PY ${SRC[$c]}/bench/bench_scale.py --scales $N --phases generate,raw --out $W/$c-out 2>&1 | tail -2
  PYTHONPATH=${SRC[$c]}/src $PY -c "import visitgraph; print('$c uses', visitgraph.__file__)"
done
for r in $(seq 1 $R); do
  if [ $((r % 2)) = 1 ]; then order="premove main"; else order="main premove"; fi
  for c in $order; do
    p=$W/$c/v$N/project
    rm -rf $p/var
    s=$(date +%s.%N)
    PYTHONPATH=${SRC[$c]}/src $PY -m visitgraph --root $p build --json > $W/$c-build-$r.json 2> $W/$c-build-$r.err
    rc=$?
    e=$(date +%s.%N)
    echo "round $r $c rc=$rc build_s=$(echo "$e - $s" | bc) load=$(cut -d' ' -f1 /proc/loadavg)"
  done
done
