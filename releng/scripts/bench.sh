#!/usr/bin/env bash
# ./build.sh bench: trajlab against the PyTorch peer (../shared/peer/timing.py), on this machine, in one session.
# Prints a table of median wall times and the ratio peer/trajlab (> 1: trajlab is faster).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=env.sh
source "$ROOT/releng/scripts/env.sh"
setup_env
ensure_debian_packages python3-torch python3-scipy python3-numpy
PEER="${TRAJLAB_PEER_DIR:-$ROOT/../shared/peer}"
OUT="$ROOT/target/bench"; mkdir -p "$OUT"
[ -f "$PEER/timing.py" ] || die "the PyTorch peer is not at $PEER (set TRAJLAB_PEER_DIR)"
# ./build.sh bench [PARTS]: PARTS a comma list of sgd (steps, losses, walk, epoch), curvature (HVP, top-5), noise
# (the Gram estimate of K), models (SimpleCNN); default all. Each part runs the peer and trajlab in this one session.
PARTS=",${1:-sgd,curvature,noise,models},"
for part in ${PARTS//,/ }; do
  case "$part" in sgd|curvature|noise|models) ;; *) die "unknown benchmark part '$part' (parts: sgd, curvature, noise, models)" ;; esac
done
has() { [[ "$PARTS" == *",$1,"* ]]; }
rm -f "$OUT"/timing_*.json "$OUT"/bench-*.json
peer() { # peer MODEL PARTS REPS LOG
  say "peer: timing.py $1 $2"
  (cd "$PEER" && PEER_OUT="$OUT" /usr/bin/python3 timing.py "$1" "$2" "$3" > "$OUT/$4" 2>&1) || { cat "$OUT/$4"; die "the peer failed"; }
}
has sgd && peer mlp a,b,f,g 5 peer.log
has curvature && peer mlp c,d 3 peer-curv.log
has noise && peer mlp e 5 peer-noise.log
has models && peer cnn a 3 peer-cnn.log
# each benchmark in its own JVM: after the convolutional models, ND4J's off-heap memory is large and the MLP
# curvature numbers are several times slower than in a fresh process
TESTOUT="$ROOT/tests/org.trajlab.engine.tests/target/test-output"
rm -f "$TESTOUT"/bench-*.json
tests=()
has curvature && tests+=(CurvatureBenchmarkTest)
has noise && tests+=(NoiseBenchmarkTest)
has sgd && tests+=(EngineBenchmarkTest)
has models && tests+=(ModelZooBenchmarkTest)
for t in "${tests[@]}"; do
  say "trajlab: $t"
  mvn -B -q verify -pl tests/org.trajlab.engine.tests -am -Dtrajlab.slow=true -Dtest="$t" \
    -Dsurefire.failIfNoSpecifiedTests=false -Dtrajlab.skipInstallTest=true > "$OUT/trajlab-$t.log" 2>&1 \
    || { tail -40 "$OUT/trajlab-$t.log"; die "the trajlab benchmark $t failed"; }
  cp "$TESTOUT"/bench-*.json "$OUT/"
done
python3 - "$OUT/timing_mlp_a_b_f_g.json" "$OUT/bench-mlp.json" "$OUT/timing_cnn_a.json" "$OUT/bench-models.json" \
  "$OUT/timing_mlp_c_d.json" "$OUT/bench-curvature.json" "$OUT/timing_mlp_e.json" "$OUT/bench-noise.json" <<'PY'
import json, os, sys
def load(f): return json.load(open(f)) if os.path.exists(f) else {}
peer, ours = load(sys.argv[1]), load(sys.argv[2])
peer.update({"cnn_" + k: v for k, v in load(sys.argv[3]).items()})
ours.update(load(sys.argv[4]))
peer.update(load(sys.argv[5]))
ours.update(load(sys.argv[6]))
peer.update(load(sys.argv[7]))
ours.update(load(sys.argv[8]))
def p(k):
    v = peer.get(k); return v["median_wall"] if isinstance(v, dict) else v
rows = [("one SGD step, batch 128", "a_sgd_step_bs128_{}_s", "a_sgd_step_bs128_{}_s"),
        ("loss on 5,000 examples", "b_full_loss_5000_{}_s", "b_loss_5000_{}_s"),
        ("walk: 12 points x 5,000 (peer: 10 points)", "f_walk_10pts_5000_{}_s", "f_walk_12pts_5000_{}_s")]
print(f"{'measurement':45s} {'prec':5s} {'peer s':>10s} {'trajlab s':>10s} {'peer/trajlab':>12s}")
for name, pk, ok in rows:
    for dn in ("f32", "f64"):
        a, b = p(pk.format(dn)), ours.get(ok.format(dn))
        if a is None or b is None: continue
        print(f"{name:45s} {dn:5s} {a:10.4f} {b:10.4f} {a / b:12.2f}")
a, b = p("g_epoch_60k_bs100_f32_s"), ours.get("g_epoch_60k_bs100_f32_s")
if a and b: print(f"{'one epoch, 60k examples, batch 100':45s} {'f32':5s} {a:10.4f} {b:10.4f} {a / b:12.2f}")
a, b = p("cnn_a_sgd_step_bs128_f32_s"), ours.get("simplecnn_sgd_step_bs128_f32_s")
if a and b: print(f"{'SimpleCNN SGD step, batch 128, 32x32x3':45s} {'f32':5s} {a:10.4f} {b:10.4f} {a / b:12.2f}")
a, b = p("c_hvp_2560_f64_s"), ours.get("c_hvp_2560_f64_s")
if a and b: print(f"{'one Hessian-vector product, 2,560 examples':45s} {'f64':5s} {a:10.4f} {b:10.4f} {a / b:12.2f}")
b = ours.get("d_top5_2560_f64_s")
for name, key in (("top-5 eigenpairs: peer eigsh", "d_eigsh_top5_f64_s"), ("top-5 eigenpairs: peer Lanczos-30", "d_lanczos30_top5_f64_s")):
    a = p(key)
    if a and b: print(f"{name + ' vs ours (converged)':45s} {'f64':5s} {a:10.4f} {b:10.4f} {a / b:12.2f}")
# the noise probe computes K in double; the peer in both precisions
for m in (128, 1):
    b = ours.get(f"e_gram_L25_M{m}_f64_s")
    for dn in ("f32", "f64"):
        a = p(f"e_gram_L25_M{m}_{dn}_s")
        if a and b: print(f"{'Gram estimate of K, L = 25, M = ' + str(m) + ' (ours f64)':45s} {dn:5s} {a:10.4f} {b:10.4f} {a / b:12.2f}")
b = ours.get("per_example_gram_1000_f64_s")
if b: print(f"(per-example Gram matrix of 1,000 examples, no gradient formed: {b:.3f} s; K of all 1,000 with its eigendecomposition: {ours.get('k_all_1000_M1_with_eigendecomposition_f64_s'):.3f} s)")
for m in (128, 1):
    e = ours.get(f"e_eigenvectors_top5_L25_M{m}_f64_s")
    if e: print(f"(the top-5 eigenvectors of K, L = 25, M = {m}: {e:.3f} s more; ours top, smallest non-zero, trace {ours.get(f'e_gram_L25_M{m}_top_smallestnz_trace')}; peer f64 {peer.get(f'e_gram_L25_M{m}_f64_top_smallestnz_trace')})")
if "d_top5_hvps" in ours: print(f"(our top-5: {ours.get('d_top5_hvps')} HVPs, residuals {ours.get('d_top5_residuals')}; peer eigsh {peer.get('d_eigsh_top5_f64_nhvp')} HVPs)")
print(f"(oneDNN in ND4J: {ours.get('onednn')}; threads {ours.get('threads')})")
PY
