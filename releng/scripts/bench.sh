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
peer_script() { # peer_script NAME WHAT SCRIPT ARGS...: a script of releng/scripts on the peer, log and JSON $OUT/peer-NAME.*
  local name=$1 what=$2 script=$3; shift 3
  local log="$OUT/peer-$name.log"
  say "peer: $what"
  PEER_OUT="$OUT" /usr/bin/python3 "$ROOT/releng/scripts/$script" "$PEER" "$OUT/peer-$name.json" "$@" > "$log" 2>&1 \
    || { tail -20 "$log"; die "the peer failed ($what; log $log)"; }
}
# peer MODEL PARTS REPS: timing.py unchanged, every repeat kept (peer-repeats.py)
peer() { peer_script "$1-${2//,/_}" "timing.py $1 $2 $3" peer-repeats.py "$1" "$2" "$3"; }
# the issue's SimpleCNN product in DOUBLE on 256 images, which timing.py has not (the peer's own pieces)
peer_hvp256() { peer_script cnn-hvp256 "SimpleCNN's product on 256 images (common.py's hvp, peer-hvp256.py)" peer-hvp256.py; }
TESTOUT="$ROOT/tests/org.trajlab.engine.tests/target/test-output"
trajlab() { # trajlab TEST: one benchmark test in its own JVM (after the convolutional models, ND4J's off-heap memory
  # is large and the MLP curvature numbers are several times slower than in a fresh process)
  say "trajlab: $1"
  rm -f "$TESTOUT"/bench-*.json
  mvn -B -q verify -pl tests/org.trajlab.engine.tests -am -Dtrajlab.slow=true -Dtest="$1" \
    -Dsurefire.failIfNoSpecifiedTests=false -Dtrajlab.skipInstallTest=true > "$OUT/trajlab-$1.log" 2>&1 \
    || { tail -40 "$OUT/trajlab-$1.log"; die "the trajlab benchmark $1 failed"; }
  cp "$TESTOUT"/bench-*.json "$OUT/"
}
# Each part runs the peer and then trajlab, one right after the other: the machine's speed drifts over minutes (the
# peer's epoch took 1.08 s in one session and 3.7 s in another), and a ratio compares the same minutes of it.
if has sgd; then peer mlp a,b,f,g 5; trajlab EngineBenchmarkTest; fi
if has curvature; then peer mlp c,d 3; trajlab CurvatureBenchmarkTest; fi
if has noise; then peer mlp e 5; trajlab NoiseBenchmarkTest; fi
# SimpleCNN: the step and the evaluation in f32; the Hessian-vector product in f64 only (timing.py's part c on
# 2,560 images, its only CNN product; two repeats; and the issue's product on 256 images with the peer's pieces)
if has models; then peer cnn a,b,only32 3; peer cnn c,only64 2; peer_hvp256; trajlab ModelZooBenchmarkTest; fi
if has scaling; then trajlab ScalingBenchmarkTest; fi
cut -d' ' -f1-3 /proc/loadavg > "$OUT/load_end.txt"
TRAJLAB_BENCH_JAVA="$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" python3 "$ROOT/releng/scripts/bench-report.py" "$OUT" "$ROOT"
