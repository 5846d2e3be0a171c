#!/bin/bash
# Overhead of `pytest --leaklint` on real third-party suites.
# usage: /tmp/rt2/measure.sh [dir ...]     (default: every suite below, in this order)
# For each suite: 3 alternating pairs (plain, then --leaklint), run one at a time.
# Outputs: /tmp/rt2/out/<dir>.plain.<i>.txt, <dir>.leaklint.<i>.txt,
#          <dir>.verdicts.json (from the last --leaklint run; <dir>.verdicts.<i>.json per pair),
#          /tmp/rt2/out/measure.tsv (dir, pair, plain_s, leaklint_s, rc_plain, rc_leaklint)
# Note: the first --leaklint run of a suite lints its rootdir cold and writes
# <rootdir>/.leaklint_cache; later runs reuse it. Set LEAKLINT_COLD=1 to delete
# that cache before every --leaklint run (every pair then pays the full lint).
set -u
set -f   # args contain [..] (pytest ids): no globbing
VENV=${VENV:-/tmp/rt2/venv}
SRC=/tmp/rt2/src
OUT=${OUT:-/tmp/rt2/out}
N=${N:-3}
mkdir -p "$OUT"

ORDER=(networkx-3.5 sympy-1.14.0 sqlalchemy-2.1.9 pyparsing-3.3.3 python_dateutil-4.0.0 babel-2.19.0 pygments-2.21.0 werkzeug-3.1.9 attrs-26.1.0)
declare -A ARGS=(
  [networkx-3.5]='networkx'
  [sympy-1.14.0]='sympy/polys'
  [sqlalchemy-2.1.9]='test/sql'
  [pyparsing-3.3.3]='--ignore=tests/test_diagram.py --deselect tests/test_examples.py::TestExamples::test_range_check'
  [python_dateutil-4.0.0]='--deselect=tests/test_tz.py::test_gettz_link[tzpath-Europe/Monaco-Europe/Paris] --deselect=tests/test_tzfile.py::test_gettz_local_abbreviation_without_time_zone_data --deselect=tests/test_tzpath_data.py::test_dst_matches_tzdata_zi[tzpath]'
  [babel-2.19.0]=''
  [pygments-2.21.0]=''
  [werkzeug-3.1.9]=''
  [attrs-26.1.0]='--deselect tests/test_converters.py::TestPipe::test_wrapped_annotation'
)

[ $# -gt 0 ] && ORDER=("$@")
[ -f "$OUT/measure.tsv" ] || printf 'dir\tpair\tplain_s\tleaklint_s\trc_plain\trc_leaklint\n' > "$OUT/measure.tsv"

for d in "${ORDER[@]}"; do
  [ -n "${ARGS[$d]+x}" ] || { echo "unknown suite $d" >&2; continue; }
  args=(${ARGS[$d]})          # word-split only (set -f above)
  cd "$SRC/$d" || continue
  for i in $(seq 1 "$N"); do
    t0=$(date +%s.%N)
    "$VENV/bin/pytest" -q -p no:cacheprovider "${args[@]}" > "$OUT/$d.plain.$i.txt" 2>&1
    rp=$?
    t1=$(date +%s.%N)
    [ "${LEAKLINT_COLD:-0}" = 1 ] && rm -rf "$SRC/$d/.leaklint_cache"
    t2=$(date +%s.%N)
    "$VENV/bin/pytest" -q -p no:cacheprovider --leaklint --leaklint-report-only \
        --leaklint-json="$OUT/$d.verdicts.json" "${args[@]}" > "$OUT/$d.leaklint.$i.txt" 2>&1
    rl=$?
    t3=$(date +%s.%N)
    cp -f "$OUT/$d.verdicts.json" "$OUT/$d.verdicts.$i.json" 2>/dev/null
    sp=$(echo "$t1 - $t0" | bc); sl=$(echo "$t3 - $t2" | bc)
    printf '%s\t%s\t%.2f\t%.2f\t%s\t%s\n' "$d" "$i" "$sp" "$sl" "$rp" "$rl" >> "$OUT/measure.tsv"
    printf '%-22s pair %s  plain %7.2fs rc=%s [%s]  |  leaklint %7.2fs rc=%s [%s]\n' \
        "$d" "$i" "$sp" "$rp" "$(tail -n1 "$OUT/$d.plain.$i.txt")" \
        "$sl" "$rl" "$(tail -n1 "$OUT/$d.leaklint.$i.txt")"
  done
done
