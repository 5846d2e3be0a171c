#!/bin/bash
# Wall time of real test suites with and without pytest --leaklint, alternating, 3 pairs.
# Setup (see README.md): /tmp/rt/venv with pytest, leaklint and the packages installed editable from /tmp/rt/src.
cd /tmp/rt/src
declare -A ARGS=( [cachetools-8.0.3]="tests" [marshmallow-4.4.0]="tests" [tomlkit-0.15.3]="tests" [humanize-4.17.0]="tests --ignore tests/test_benchmarks.py" [configobj-5.0.9]="" [python_dotenv-1.2.4]="" [wtforms-3.3.2]="--ignore tests/validators/test_email.py" )
for d in cachetools-8.0.3 marshmallow-4.4.0 tomlkit-0.15.3 humanize-4.17.0 configobj-5.0.9 python_dotenv-1.2.4 wtforms-3.3.2; do
  cd /tmp/rt/src/$d
  for i in 1 2 3; do
    s=$(date +%s.%N); /tmp/rt/venv/bin/python -m pytest -q -p no:cacheprovider ${ARGS[$d]} > /tmp/rt/$d.plain.$i.txt 2>&1; e=$(date +%s.%N)
    plain=$(echo "$e - $s" | bc)
    s=$(date +%s.%N); /tmp/rt/venv/bin/python -m pytest -q -p no:cacheprovider --leaklint --leaklint-report-only --leaklint-json /tmp/rt/$d.verdicts.json ${ARGS[$d]} > /tmp/rt/$d.leaklint.$i.txt 2>&1; e=$(date +%s.%N)
    watched=$(echo "$e - $s" | bc)
    echo "$d $i plain $plain leaklint $watched | $(tail -1 /tmp/rt/$d.plain.$i.txt) | $(tail -1 /tmp/rt/$d.leaklint.$i.txt)"
  done
done
