#!/bin/bash
# 10k whole builds, ref (main 0da2f3f) and led, alternating; a fresh var/ each time
PY=/work/wt-led/.venv/bin/python
for round in 1 2; do
  for who in ref led; do
    if [ $round = 2 ]; then [ $who = ref ] && who=led2 || who=ref2; fi
    name=${who%2}
    src=/work/wt-led/src; [ $name = ref ] && src=/tmp/led-ref/src
    rm -rf /tmp/led-work/p10kb/var
    l0=$(cut -d' ' -f1 /proc/loadavg)
    (cd /tmp/led-work/p10kb && PYTHONPATH=$src nice -n 5 $PY -c "import sys; sys.argv=['visitgraph','build','--json']; from visitgraph.cli.main import main; sys.exit(main())" > /tmp/led-work/pair-$round-$name.json 2>/tmp/led-work/pair-$round-$name.err)
    l1=$(cut -d' ' -f1 /proc/loadavg)
    echo "round $round $name load $l0->$l1 $($PY -c "import json; d=json.load(open('/tmp/led-work/pair-$round-$name.json')); t=d['timings']; print({k:t[k] for k in ('load_s','validate_s','ledger_s','search_index_s','match_stats_s','publish_s','answers_s','index_s')})")"
  done
done
