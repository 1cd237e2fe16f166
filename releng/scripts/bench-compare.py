"""Two ./build.sh bench runs side by side.

Usage: python3 releng/scripts/bench-compare.py A.json B.json

A and B are target/bench/bench.json files (schema 1). For every row either run has: trajlab's median in A and B,
B/A (below 1: B is faster), and the ratio peer/trajlab with its interquartile range in each; then the scaling
exponents of both when present. Rows one run lacks show '-'.
"""
import json
import sys


def load(path):
    try:
        with open(path) as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"cannot read {path}: {e}")
    if d.get("schema") != 1:
        sys.exit(f"{path} is not a bench.json of schema 1 (schema {d.get('schema')})")
    return d


def secs(x):
    return "-" if x is None else (f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s")


def ratio(r):
    if r is None or r.get("ratio") is None:
        return "-"
    lo, hi = r["ratio_iqr"]
    return f"{r['ratio']:.2f} ({lo:.2f}-{hi:.2f})"


if len(sys.argv) != 3:
    sys.exit("usage: bench-compare.py A.json B.json")
a, b = load(sys.argv[1]), load(sys.argv[2])
for tag, d in (("A", a), ("B", b)):
    m, v = d["machine"], d["versions"]
    print(f"{tag}: {d['date']}  {m.get('cores')} cores {m.get('cpu_model')}  load {m.get('load_start')} -> "
          f"{m.get('load_end')}  trajlab {v.get('trajlab_commit')}  torch {v.get('torch')}")
ra = {r["key"]: r for r in a["rows"]}
rb = {r["key"]: r for r in b["rows"]}
keys = list(ra) + [k for k in rb if k not in ra]
print(f"\n{'measurement':48s} {'prec':4s} {'trajlab A':>9s} {'trajlab B':>9s} {'B/A':>5s} "
      f"{'peer/trajlab A (IQR)':>21s} {'peer/trajlab B (IQR)':>21s} {'goal':>4s}")
for k in keys:
    x, y = ra.get(k), rb.get(k)
    r = x or y
    ta = x["trajlab_median_s"] if x else None
    tb = y["trajlab_median_s"] if y else None
    change = f"{tb / ta:.2f}" if ta and tb else "-"
    goal = "-" if r.get("goal") is None else f"{r['goal']:.1f}"
    print(f"{r['name'][:48]:48s} {r['precision']:4s} {secs(ta):>9s} {secs(tb):>9s} {change:>5s} "
          f"{ratio(x):>21s} {ratio(y):>21s} {goal:>4s}")
sa = {(s["operation"], s["axis"]): s for s in a.get("scaling", [])}
sb = {(s["operation"], s["axis"]): s for s in b.get("scaling", [])}
if sa or sb:
    print(f"\n{'scaling: operation':40s} {'against':11s} {'exponent A':>10s} {'exponent B':>10s}")
    for k in list(sa) + [k for k in sb if k not in sa]:
        ea = f"{sa[k]['exponent']:.2f}" if k in sa else "-"
        eb = f"{sb[k]['exponent']:.2f}" if k in sb else "-"
        print(f"{k[0]:40s} {k[1]:11s} {ea:>10s} {eb:>10s}")
