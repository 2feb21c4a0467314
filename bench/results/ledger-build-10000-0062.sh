#!/bin/bash
# 10k whole builds, ref (main 5c79753, `git archive main src`) and led, alternating; a fresh var/ each time (decision 0062)
PY=/work/wt-led/.venv/bin/python
for round in 1 2; do
  order="ref led"; [ $round = 2 ] && order="led ref"
  for name in $order; do
    src=/work/wt-led/src; [ $name = ref ] && src=/tmp/led-work/main-src/src
    rm -rf /tmp/led-work/p10kb/var
    l0=$(cut -d' ' -f1 /proc/loadavg)
    (cd /tmp/led-work/p10kb && PYTHONPATH=$src nice -n 5 $PY -c "import sys; sys.argv=['visitgraph','build','--json']; from visitgraph.cli.main import main; sys.exit(main())" > /tmp/led-work/build-$round-$name.json 2>/tmp/led-work/build-$round-$name.err)
    l1=$(cut -d' ' -f1 /proc/loadavg)
    echo "round $round $name load $l0->$l1 $($PY -c "import json; d=json.load(open('/tmp/led-work/build-$round-$name.json')); t=d['timings']; print({k:t.get(k) for k in ('load_s','validate_s','ledger_s','search_index_s','match_stats_s','publish_s','answers_s','index_s')})")"
  done
done
