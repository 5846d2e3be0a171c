#!/bin/bash
# Verdicts with --leaklint-repeat=3 (one run each), and pygments under pytest-xdist.
set -f
declare -A ARGS=( [networkx-3.5]='networkx' [sympy-1.14.0]='sympy/polys' [sqlalchemy-2.1.9]='test/sql' [pyparsing-3.3.3]='--ignore=tests/test_diagram.py --deselect tests/test_examples.py::TestExamples::test_range_check' [babel-2.19.0]='' [pygments-2.21.0]='' )
for d in pygments-2.21.0 babel-2.19.0 pyparsing-3.3.3 sqlalchemy-2.1.9 sympy-1.14.0 networkx-3.5; do
  cd /tmp/rt2/src/$d; args=(${ARGS[$d]})
  s=$(date +%s.%N)
  /tmp/rt2/venv/bin/pytest -q -p no:cacheprovider --leaklint --leaklint-report-only --leaklint-repeat=3 --leaklint-json=/tmp/rt2/out/$d.repeat.json "${args[@]}" > /tmp/rt2/out/$d.repeat.txt 2>&1
  e=$(date +%s.%N)
  echo "$d repeat=3 $(echo "$e - $s" | bc)s | $(tail -1 /tmp/rt2/out/$d.repeat.txt)"
done
cd /tmp/rt2/src/pygments-2.21.0
s=$(date +%s.%N)
/tmp/rt2/venv/bin/pytest -q -p no:cacheprovider -n 2 --leaklint --leaklint-report-only --leaklint-json=/tmp/rt2/out/pygments-2.21.0.xdist.json > /tmp/rt2/out/pygments-2.21.0.xdist.txt 2>&1
e=$(date +%s.%N)
echo "pygments -n 2 $(echo "$e - $s" | bc)s | $(tail -1 /tmp/rt2/out/pygments-2.21.0.xdist.txt)"
