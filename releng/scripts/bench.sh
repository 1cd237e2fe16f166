#!/usr/bin/env bash
# ./build.sh bench: trajlab against the PyTorch peer (../shared/peer/timing.py), on this machine, in one session.
# Prints a table of median wall times, the ratio peer/trajlab (> 1: trajlab is faster) with its spread over repeats
# and the issue's goal per row, and writes the same as target/bench/bench.json (releng/scripts/bench-report.py).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=env.sh
source "$ROOT/releng/scripts/env.sh"
# ./build.sh bench [PARTS]: PARTS a comma list of sgd (steps, losses, walk, epoch), curvature (HVP, top-5), noise
# (the Gram estimate of K), models (SimpleCNN: step, evaluation, HVP in double; the other convolutional models'
# steps), scaling (how the cost of HVP, top-5 and the Gram spectrum grows; trajlab only); default all. Each part runs
# the peer and trajlab in this one session. Output: the table on stdout and target/bench/bench.json.
ALL="sgd,curvature,noise,models,scaling"
PARTS=",${1:-$ALL},"
[ $# -le 1 ] || die "./build.sh bench takes one comma list of parts, not $# arguments (parts: ${ALL//,/, })"
for part in ${PARTS//,/ }; do
  case "$part" in sgd|curvature|noise|models|scaling) ;; *) die "unknown benchmark part '$part' (parts: ${ALL//,/, })" ;; esac
done
setup_env
ensure_debian_packages python3-torch python3-scipy python3-numpy
PEER="${TRAJLAB_PEER_DIR:-$ROOT/../shared/peer}"
OUT="$ROOT/target/bench"; mkdir -p "$OUT"
[ -f "$PEER/timing.py" ] || die "the PyTorch peer is not at $PEER (set TRAJLAB_PEER_DIR)"
has() { [[ "$PARTS" == *",$1,"* ]]; }
rm -f "$OUT"/timing_*.json "$OUT"/bench-*.json "$OUT"/peer-*.json "$OUT"/bench.json
cut -d' ' -f1-3 /proc/loadavg > "$OUT/load_start.txt"
peer() { # peer MODEL PARTS REPS: timing.py unchanged, every repeat kept (peer-repeats.py)
  local log="$OUT/peer-$1-${2//,/_}.log"
  say "peer: timing.py $1 $2 $3"
  PEER_OUT="$OUT" /usr/bin/python3 "$ROOT/releng/scripts/peer-repeats.py" "$PEER" "$OUT/peer-$1-${2//,/_}.json" "$1" "$2" "$3" \
    > "$log" 2>&1 || { tail -20 "$log"; die "the peer failed (timing.py $1 $2; log $log)"; }
}
has sgd && peer mlp a,b,f,g 5
has curvature && peer mlp c,d 3
has noise && peer mlp e 5
# SimpleCNN: the step and the evaluation in f32; the Hessian-vector product in f64 only (timing.py's part c on
# 2,560 images, its only CNN product; two repeats)
has models && peer cnn a,b,only32 3
has models && peer cnn c,only64 2
# each benchmark in its own JVM: after the convolutional models, ND4J's off-heap memory is large and the MLP
# curvature numbers are several times slower than in a fresh process
TESTOUT="$ROOT/tests/org.trajlab.engine.tests/target/test-output"
rm -f "$TESTOUT"/bench-*.json
tests=()
has curvature && tests+=(CurvatureBenchmarkTest)
has noise && tests+=(NoiseBenchmarkTest)
has sgd && tests+=(EngineBenchmarkTest)
has models && tests+=(ModelZooBenchmarkTest)
has scaling && tests+=(ScalingBenchmarkTest)
for t in "${tests[@]}"; do
  say "trajlab: $t"
  mvn -B -q verify -pl tests/org.trajlab.engine.tests -am -Dtrajlab.slow=true -Dtest="$t" \
    -Dsurefire.failIfNoSpecifiedTests=false -Dtrajlab.skipInstallTest=true > "$OUT/trajlab-$t.log" 2>&1 \
    || { tail -40 "$OUT/trajlab-$t.log"; die "the trajlab benchmark $t failed"; }
  cp "$TESTOUT"/bench-*.json "$OUT/"
done
cut -d' ' -f1-3 /proc/loadavg > "$OUT/load_end.txt"
TRAJLAB_BENCH_JAVA="$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" python3 "$ROOT/releng/scripts/bench-report.py" "$OUT" "$ROOT"
