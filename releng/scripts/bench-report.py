"""The table of ./build.sh bench and its machine-readable twin, target/bench/bench.json.

Usage: bench-report.py OUT_DIR REPO_ROOT

Reads, from OUT_DIR, the peer's timings with their repeats (peer-*.json, written by peer-repeats.py) and trajlab's
(bench-*.json, written by the *BenchmarkTest classes), both from the same ./build.sh bench run; prints one row per
measurement: the peer's and trajlab's median wall time, the ratio peer/trajlab of the medians with its spread over
repeats (the interquartile range of the ratios of every peer repeat to every trajlab repeat), the issue's goal and
whether it is met; and the scaling table when that part ran. Writes OUT_DIR/bench.json (schema below, SCHEMA).
"""
import datetime
import glob
import json
import os
import platform
import statistics
import subprocess
import sys

SCHEMA = 1
# key, name, precision, peer key, trajlab key, goal (peer/trajlab >=), note
ROWS = [
    ("mlp_sgd_step_f32", "one SGD step, MLP, batch 128", "f32", "a_sgd_step_bs128_f32_s", "a_sgd_step_bs128_f32_s", 1.0, ""),
    ("mlp_sgd_step_f64", "one SGD step, MLP, batch 128", "f64", "a_sgd_step_bs128_f64_s", "a_sgd_step_bs128_f64_s", 1.0, ""),
    ("mlp_loss_5000_f32", "loss on 5,000 examples", "f32", "b_full_loss_5000_f32_s", "b_loss_5000_f32_s", 1.0, ""),
    ("mlp_loss_5000_f64", "loss on 5,000 examples", "f64", "b_full_loss_5000_f64_s", "b_loss_5000_f64_s", 1.0, ""),
    ("mlp_walk_f32", "walk: 12 points x 5,000 (peer: 10 points)", "f32", "f_walk_10pts_5000_f32_s", "f_walk_12pts_5000_f32_s", 2.0, ""),
    ("mlp_walk_f64", "walk: 12 points x 5,000 (peer: 10 points)", "f64", "f_walk_10pts_5000_f64_s", "f_walk_12pts_5000_f64_s", 2.0, ""),
    ("mlp_epoch_f32", "one epoch, 60k examples, batch 100", "f32", "g_epoch_60k_bs100_f32_s", "g_epoch_60k_bs100_f32_s", 1.0, ""),
    ("mlp_epoch_warm_f32", "one epoch, trajlab's runs 4-6 in its JVM", "f32", "g_epoch_60k_bs100_f32_s",
     "g_epoch_60k_bs100_f32_warm_s", None, "the JIT done compiling the trainer; the peer's three epochs as above"),
    ("mlp_hvp_2560_f64", "one Hessian-vector product, MLP, 2,560 examples", "f64", "c_hvp_2560_f64_s", "c_hvp_2560_f64_s", 1.0,
     "each trajlab product at a new point, as every peer product"),
    ("mlp_hvp_2560_same_theta_f64", "one HVP at the point of the one before (Lanczos)", "f64", "c_hvp_2560_f64_s",
     "c_hvp_2560_f64_same_theta_s", None, "the forward pass kept between products at one point; the peer forms it every time"),
    ("mlp_top5_vs_eigsh_f64", "top-5 eigenpairs, ours converged vs peer eigsh", "f64", "d_eigsh_top5_f64_s", "d_top5_2560_f64_s", None, ""),
    ("mlp_top5_vs_lanczos30_f64", "top-5 eigenpairs, ours converged vs peer Lanczos-30", "f64", "d_lanczos30_top5_f64_s", "d_top5_2560_f64_s", 1.0, ""),
    ("noise_gram_M128_peer_f32", "Gram estimate of K, L = 25, M = 128 (ours f64)", "f32", "e_gram_L25_M128_f32_s", "e_gram_L25_M128_f64_s", None,
     "peer in f32, trajlab in f64 (the noise probe's default): double arithmetic against float, no goal; the goal rows are the like-for-like ones below"),
    ("noise_gram_M128_f32", "Gram estimate of K, L = 25, M = 128 (gramPrecision training)", "f32", "e_gram_L25_M128_f32_s", "e_gram_L25_M128_f32_s", 1.0, "trajlab's float Gram (noise probe param gramPrecision \"training\" in a float run)"),
    ("noise_gram_M128_f64", "Gram estimate of K, L = 25, M = 128", "f64", "e_gram_L25_M128_f64_s", "e_gram_L25_M128_f64_s", 1.0, ""),
    ("noise_gram_M1_peer_f32", "Gram estimate of K, L = 25, M = 1 (ours f64)", "f32", "e_gram_L25_M1_f32_s", "e_gram_L25_M1_f64_s", None,
     "peer in f32, trajlab in f64 (the noise probe's default): double arithmetic against float, no goal"),
    ("noise_gram_M1_f64", "Gram estimate of K, L = 25, M = 1", "f64", "e_gram_L25_M1_f64_s", "e_gram_L25_M1_f64_s", 1.0, ""),
    ("simplecnn_sgd_step_f32", "SimpleCNN SGD step, batch 128, 32x32x3", "f32", "cnn_a_sgd_step_bs128_f32_s", "simplecnn_sgd_step_bs128_f32_s", 0.8, ""),
    ("simplecnn_eval_5000_f32", "SimpleCNN evaluation: loss on 5,000 images", "f32", "cnn_b_full_loss_5000_f32_s", "simplecnn_loss_5000_f32_s", 0.8, ""),
    ("simplecnn_hvp_2560_f64", "SimpleCNN Hessian-vector product, 2,560 images", "f64", "cnn_c_hvp_2560_f64_s", "simplecnn_hvp_2560_f64_s", 1.0,
     "timing.py cnn c: double backprop on 2,560 images in chunks of 512"),
    ("simplecnn_hvp_256_f64", "SimpleCNN Hessian-vector product in DOUBLE on 256 images", "f64", "cnn_c_hvp_256_f64_s", "simplecnn_hvp_256_f64_s", 1.0,
     "peer-hvp256.py: common.py's double backprop on timing.py's first 256 images (timing.py times 2,560 only)"),
]


def load(path):
    with open(path) as f:
        return json.load(f)


def quantile(xs, q):
    xs = sorted(xs)
    if len(xs) == 1:
        return xs[0]
    h = (len(xs) - 1) * q
    lo = int(h)
    return xs[lo] + (h - lo) * (xs[min(lo + 1, len(xs) - 1)] - xs[lo])


def timing(source, key):
    """(median, repeats) of key in a merged timing dict, or None"""
    v = source.get(key)
    if v is None:
        return None
    med = v["median_wall"] if isinstance(v, dict) else float(v)
    reps = source.get("repeats", {}).get(key) or [med]
    return med, [float(x) for x in reps]


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    m = {"cores": os.cpu_count(), "cpu_model": model, "platform": platform.platform()}
    for name in ("load_start", "load_end"):
        p = os.path.join(out_dir, name + ".txt")
        if os.path.exists(p):
            m[name] = [float(x) for x in open(p).read().split()[:3]]
    try:
        with open("/proc/meminfo") as f:
            m["memory_gb"] = round(int(f.readline().split()[1]) / 2 ** 20, 1)
    except (OSError, ValueError, IndexError):
        pass
    return m


def versions(peer, ours):
    v = {"torch": peer.get("torch"), "scipy": peer.get("scipy"), "peer_threads": peer.get("threads"),
         "trajlab_threads": ours.get("threads"), "onednn": ours.get("onednn")}
    try:
        v["trajlab_commit"] = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True,
                                             text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        v["trajlab_commit"] = "unknown"
    pom = os.path.join(root, "bundles", "org.trajlab.dl4j", "pom.xml")
    if os.path.exists(pom):
        text = open(pom).read()
        a = text.find("<dl4j.version>")
        if a >= 0:
            v["dl4j"] = text[a + len("<dl4j.version>"):text.find("</dl4j.version>")]
    v["java"] = os.environ.get("TRAJLAB_BENCH_JAVA", "unknown")
    v["python"] = platform.python_version()
    return v


def fmt_s(x):
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


if len(sys.argv) != 3:
    sys.exit("usage: bench-report.py OUT_DIR REPO_ROOT")
out_dir, root = sys.argv[1], sys.argv[2]
peer, ours = {"repeats": {}}, {"repeats": {}}
for f in sorted(glob.glob(os.path.join(out_dir, "peer-*.json"))):
    d = load(f)
    prefix = "cnn_" if d.get("model") == "cnn" else ""
    for k, v in d.items():
        if k == "repeats":
            peer["repeats"].update({prefix + rk: rv for rk, rv in v.items()})
        elif prefix and k in ("torch", "scipy", "threads", "model"):
            peer.setdefault(k, v)
        else:
            peer[prefix + k] = v
for f in sorted(glob.glob(os.path.join(out_dir, "bench-*.json"))):
    d = load(f)
    ours["repeats"].update(d.pop("repeats", {}))
    ours.update(d)

rows = []
for key, name, prec, pk, ok, goal, note in ROWS:
    o = timing(ours, ok)
    p = timing(peer, pk) if pk else None
    if o is None or (pk and p is None):
        continue
    row = {"key": key, "name": name, "precision": prec, "trajlab_key": ok, "trajlab_median_s": o[0],
           "trajlab_repeats_s": o[1], "peer_key": pk, "goal": goal}
    if p:
        ratios = [a / b for a in p[1] for b in o[1]]
        row.update(peer_median_s=p[0], peer_repeats_s=p[1], ratio=p[0] / o[0],
                   ratio_iqr=[quantile(ratios, 0.25), quantile(ratios, 0.75)],
                   ratio_min_max=[min(ratios), max(ratios)])
        row["met"] = None if goal is None else row["ratio"] >= goal
        if goal is not None:
            lo, hi = row["ratio_iqr"]
            row["met_over_spread"] = "yes" if lo >= goal else "no" if hi < goal else "borderline"
    else:
        row.update(peer_median_s=None, peer_repeats_s=None, ratio=None, ratio_iqr=None, ratio_min_max=None, met=None)
    if note:
        row["note"] = note
    rows.append(row)

print(f"{'measurement':52s} {'prec':4s} {'peer':>9s} {'trajlab':>9s} {'peer/trajlab (IQR)':>20s} {'goal':>5s}  met")
for r in rows:
    ps = fmt_s(r["peer_median_s"]) if r["peer_median_s"] is not None else "-"
    if r["ratio"] is None:
        rs = "-"
    else:
        rs = f"{r['ratio']:.2f} ({r['ratio_iqr'][0]:.2f}-{r['ratio_iqr'][1]:.2f})"
    goal = "-" if r["goal"] is None else f"{r['goal']:.1f}"
    met = "-" if r.get("met") is None else ("yes" if r["met"] else "no")
    if r.get("met_over_spread") == "borderline":
        met += " (borderline)"
    print(f"{r['name'][:52]:52s} {r['precision']:4s} {ps:>9s} {fmt_s(r['trajlab_median_s']):>9s} {rs:>20s} {goal:>5s}  {met}")
    if r.get("note"):
        print(f"{'':57s}({r['note']})")
if "d_top5_hvps" in ours:
    print(f"(our top-5: {ours.get('d_top5_hvps')} HVPs, residuals {ours.get('d_top5_residuals')}; peer eigsh "
          f"{peer.get('d_eigsh_top5_f64_nhvp')} HVPs, Lanczos-30 {peer.get('d_lanczos30_top5_f64_nhvp')})")
for m in (128, 1):
    e = ours.get(f"e_eigenvectors_top5_L25_M{m}_f64_s")
    if e:
        print(f"(Gram estimate L = 25, M = {m}: top, smallest non-zero, trace ours {ours.get(f'e_gram_L25_M{m}_top_smallestnz_trace')};"
              f" peer f64 {peer.get(f'e_gram_L25_M{m}_f64_top_smallestnz_trace')})")
if "e_gram_L25_M128_f32_max_rel_diff_nonzero_eigenvalues_vs_f64" in ours:
    print(f"(Gram estimate L = 25, M = 128 in float: its non-zero eigenvalues within "
          f"{ours['e_gram_L25_M128_f32_max_rel_diff_nonzero_eigenvalues_vs_f64']:.1e} of the double estimate's on the same groups)")
epochs = None
if "g_epoch_median_update_s" in ours:
    epochs = {"median_update_s": ours["g_epoch_median_update_s"], "updates_over_5ms": ours.get("g_epoch_updates_over_5ms")}
    print(f"(trajlab's six epochs in one JVM, 600 updates each: median update "
          f"{' / '.join(f'{x * 1000:.2f}' for x in epochs['median_update_s'])} ms; updates over 5 ms "
          f"{' / '.join(str(x) for x in epochs['updates_over_5ms'] or [])})")
if "onednn" in ours or "threads" in ours:
    print(f"(oneDNN in ND4J: {ours.get('onednn')}; ND4J threads {ours.get('threads')}; peer torch {peer.get('torch')}, "
          f"{peer.get('threads')} threads)")

scaling = ours.get("scaling")
if scaling:
    print()
    print("How cost grows (trajlab, MLP on Fashion-MNIST in double at initialisation; exponent = log-log least-squares slope)")
    print(f"{'operation':32s} {'against':11s} {'sizes':>28s} {'seconds':>28s} {'exponent':>8s}")
    for s in scaling:
        sizes = " / ".join(f"{x:,.0f}" for x in s["sizes"])
        secs = " / ".join(f"{x:.3f}" for x in s["seconds"])
        print(f"{s['operation']:32s} {s['axis']:11s} {sizes:>28s} {secs:>28s} {s['exponent']:8.2f}")

doc = {"schema": SCHEMA,
       "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
       "machine": machine(), "versions": versions(peer, ours), "rows": rows}
if scaling:
    doc["scaling"] = scaling
if epochs:
    doc["trajlab_epochs"] = epochs
with open(os.path.join(out_dir, "bench.json"), "w") as f:
    json.dump(doc, f, indent=1)
print(f"\n(machine-readable: {os.path.join(out_dir, 'bench.json')})")
