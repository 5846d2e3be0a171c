#!/bin/bash
# --fix on a copy of a source tree: what each rule fixes, whether every changed
# file still compiles, whether a second run finds anything left to fix, and the
# time --fix and --diff take beside a plain run (same machine, same run).
#   benchmarks/fixes/measure.sh SRC OUT [leaklint options...]
set -u
SRC=$1; OUT=$2; shift 2
LEAKLINT=${LEAKLINT:-leaklint}
HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf "$OUT"; mkdir -p "$OUT"
# The tree without compiled files and installed packages (the standard library's site-packages).
copy() {
  rm -rf "$OUT/tree"; mkdir -p "$OUT/tree"
  tar -C "$SRC" --exclude=__pycache__ --exclude=site-packages --exclude=.leaklint_cache -cf - . | tar -C "$OUT/tree" -xf -
  if [ ! -d "$OUT/original" ]; then cp -r "$OUT/tree" "$OUT/original"; fi
}
timed() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }

copy
s=$(date +%s.%N)
(cd "$OUT/tree" && $LEAKLINT --isolated --no-cache --exit-zero --format json "$@" . > "$OUT/findings.json" 2>/dev/null)
e=$(date +%s.%N); plain=$(echo "$e - $s" | bc)
python3 "$HERE/tally.py" "$OUT/findings.json" > "$OUT/offered.md"
diff=$(cd "$OUT/tree" && timed $LEAKLINT --isolated --no-cache --exit-zero --diff "$@" .)
for mode in safe unsafe; do
  copy
  extra=(); [ "$mode" = unsafe ] && extra=(--unsafe-fixes)
  s=$(date +%s.%N)
  (cd "$OUT/tree" && $LEAKLINT --isolated --no-cache --exit-zero --fix "${extra[@]}" "$@" . > /dev/null 2> "$OUT/fix-$mode.err")
  e=$(date +%s.%N); fix=$(echo "$e - $s" | bc)
  (cd "$OUT" && diff -r -q original tree | grep '^Files' | awk '{print $4}' | sed "s|^tree/||" > "changed-$mode.txt")
  # Every changed file compiles.
  (cd "$OUT/tree" && while read -r f; do python3 -c "import sys; compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')" "$f" || echo "DOES NOT COMPILE: $f"; done < "$OUT/changed-$mode.txt") > "$OUT/compile-$mode.txt" 2>&1
  # A second run has nothing left to fix.
  (cd "$OUT/tree" && $LEAKLINT --isolated --no-cache --exit-zero --diff "${extra[@]}" "$@" . > "$OUT/second-$mode.diff" 2> "$OUT/second-$mode.err")
  (cd "$OUT" && diff -r -u original tree > "fixed-$mode.diff")
  echo "$mode: --fix ${fix} s; $(tail -1 "$OUT/fix-$mode.err"); $(wc -l < "$OUT/changed-$mode.txt") files changed; $(grep -c 'DOES NOT COMPILE' "$OUT/compile-$mode.txt") do not compile; second run: $(tail -1 "$OUT/second-$mode.err")" >> "$OUT/times.txt"
done
echo "plain (--format json) $plain s, --diff $diff s" >> "$OUT/times.txt"
cat "$OUT/offered.md" "$OUT/times.txt"
