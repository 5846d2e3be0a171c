#!/bin/bash
# --fix (then --fix --unsafe-fixes) on a package's whole tree, its suite before and after, the tree restored after.
set -f
L=/work/venv/bin/leaklint
declare -A ARGS=( [pyparsing-3.3.3]='--ignore=tests/test_diagram.py --deselect tests/test_examples.py::TestExamples::test_range_check' [babel-2.19.0]='' [pygments-2.21.0]='' [werkzeug-3.1.9]='' [python_dateutil-4.0.0]='--deselect=tests/test_tz.py::test_gettz_link[tzpath-Europe/Monaco-Europe/Paris] --deselect=tests/test_tzfile.py::test_gettz_local_abbreviation_without_time_zone_data --deselect=tests/test_tzpath_data.py::test_dst_matches_tzdata_zi[tzpath]' )
OUT=/tmp/fixbench/suites; mkdir -p $OUT
for d in "$@"; do
  cd /tmp/rt2/src/$d || continue
  args=(${ARGS[$d]})
  rm -rf /tmp/fixbench/orig-$d; cp -a /tmp/rt2/src/$d /tmp/fixbench/orig-$d
  $L --isolated --no-cache --exit-zero --format json --extend-select LL103,LL104,LL109 . > $OUT/$d.findings.json 2>/dev/null
  for mode in safe unsafe; do
    extra=(); [ $mode = unsafe ] && extra=(--unsafe-fixes)
    $L --isolated --no-cache --exit-zero --fix "${extra[@]}" --extend-select LL103,LL104,LL109 . > /dev/null 2> $OUT/$d.fix-$mode.err
    (cd /tmp/fixbench && diff -r -u -x .leaklint_cache -x __pycache__ orig-$d /tmp/rt2/src/$d > $OUT/$d.$mode.diff)
    /tmp/rt2/venv/bin/pytest -q -p no:cacheprovider -rf "${args[@]}" > $OUT/$d.tests-$mode.txt 2>&1
    echo "$d $mode: $(tail -1 $OUT/$d.fix-$mode.err) | tests: $(tail -1 $OUT/$d.tests-$mode.txt)"
    # restore
    cd /tmp; rm -rf /tmp/rt2/src/$d; cp -a /tmp/fixbench/orig-$d /tmp/rt2/src/$d; cd /tmp/rt2/src/$d
  done
done
