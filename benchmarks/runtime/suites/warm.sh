#!/bin/bash
# Cold lint cost: pytest --leaklint --collect-only with no cache, then the same with the cache written.
set -f
declare -A ARGS=( [networkx-3.5]='networkx' [sympy-1.14.0]='sympy/polys' [sqlalchemy-2.1.9]='test/sql' [pyparsing-3.3.3]='--ignore=tests/test_diagram.py' [python_dateutil-4.0.0]='' [babel-2.19.0]='' [pygments-2.21.0]='' [werkzeug-3.1.9]='' [attrs-26.1.0]='' )
for d in networkx-3.5 sympy-1.14.0 sqlalchemy-2.1.9 pyparsing-3.3.3 python_dateutil-4.0.0 babel-2.19.0 pygments-2.21.0 werkzeug-3.1.9 attrs-26.1.0; do
  cd /tmp/rt2/src/$d; rm -rf .leaklint_cache
  args=(${ARGS[$d]})
  t0=$(date +%s.%N); /tmp/rt2/venv/bin/pytest -q -p no:cacheprovider --co "${args[@]}" > /dev/null 2>&1; t1=$(date +%s.%N)
  /tmp/rt2/venv/bin/pytest -q -p no:cacheprovider --co --leaklint "${args[@]}" > /tmp/rt2/out/$d.cold.txt 2>&1; t2=$(date +%s.%N)
  /tmp/rt2/venv/bin/pytest -q -p no:cacheprovider --co --leaklint "${args[@]}" > /dev/null 2>&1; t3=$(date +%s.%N)
  printf '%s\tcollect %.2f\tcold %.2f\twarm %.2f\n' $d $(echo "$t1-$t0"|bc) $(echo "$t2-$t1"|bc) $(echo "$t3-$t2"|bc)
done
