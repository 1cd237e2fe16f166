"""The issue's SimpleCNN row the peer's timing.py does not time: one Hessian-vector product in DOUBLE on 256 images.

Usage: peer-hvp256.py PEER_DIR OUT_JSON

timing.py's part c forms SimpleCNN's product only on 2,560 images. This script forms it on the first 256 of the same
data with the peer's own pieces (common.py's SimpleCNN, hvp, timeit: PyHessian's double backprop, chunks of 512 as
timing.py cnn uses, so one chunk) exactly as timing.py builds them (get_data's Gaussian images from seed 0,
make_model's seed 0, torch.set_num_threads(2)), with one untimed product and two timed ones, as trajlab's
ModelZooBenchmarkTest times its own. OUT_JSON has peer-repeats.py's form: {"model": "cnn",
"c_hvp_256_f64_s": {...}, "repeats": {"c_hvp_256_f64_s": [wall seconds]}}.
"""
import json
import os
import statistics
import sys

if len(sys.argv) != 3:
    sys.exit("usage: peer-hvp256.py PEER_DIR OUT_JSON")
peer_dir, out_json = sys.argv[1:]
if not os.path.isfile(os.path.join(peer_dir, "common.py")):
    sys.exit(f"the peer's common.py is not in {peer_dir}")
os.chdir(peer_dir)
sys.path.insert(0, peer_dir)
import torch  # noqa: E402
import common  # noqa: E402

torch.set_num_threads(2)
dt = torch.float64
g = torch.Generator().manual_seed(0)  # timing.py's get_data for cnn
X = torch.randn(10000, 3, 32, 32, generator=g, dtype=dt)
y = torch.randint(0, 10, (10000,), generator=g)
torch.manual_seed(0)  # timing.py's make_model
model = common.SimpleCNN().to(dt)
P = common.nparams(model)
v = torch.randn(P, dtype=dt)
X256, y256 = X[:256], y[:256]
med, ts, hv = common.timeit(lambda: common.hvp(model, X256, y256, v, 512), reps=2, warmup=1)
if not torch.isfinite(v @ hv):
    sys.exit("the peer's product on 256 images is not finite")
log = common.TIMING_LOG[-1]
key = "c_hvp_256_f64_s"
results = {"model": "cnn", "torch": torch.__version__, "threads": torch.get_num_threads(), "n_params": P,
           key: dict(median_wall=med, min_wall=min(ts), median_cpu=statistics.median(log["cpu"]), n=len(ts),
                     load1=[round(log["loadavg_before"], 2), round(log["loadavg_after"], 2)]),
           "repeats": {key: list(ts)},
           "peer_command": "peer-hvp256.py (common.py's SimpleCNN and hvp on timing.py's first 256 images)"}
print(key, results[key], flush=True)
with open(out_json, "w") as f:
    json.dump(results, f, indent=1)
