"""Runs the PyTorch peer's timing.py unchanged, in this process, and keeps every repeat.

Usage: peer-repeats.py PEER_DIR OUT_JSON MODEL PARTS REPS

timing.py (../shared/peer, not ours to edit) writes for each timing only the median, the minimum, the median CPU time,
the count and the load; the wall time of every repeat stays in common.TIMING_LOG. This wrapper runs timing.py with
runpy in its own folder (its own JSON is written as usual to $PEER_OUT), then writes OUT_JSON: timing.py's results
plus "repeats": {key: [wall seconds of every repeat]}, each timing matched to its TIMING_LOG entry by median and
minimum, in order.
"""
import json
import os
import runpy
import statistics
import sys

if len(sys.argv) != 6:
    sys.exit("usage: peer-repeats.py PEER_DIR OUT_JSON MODEL PARTS REPS")
peer_dir, out_json, model, parts, reps = sys.argv[1:]
script = os.path.join(peer_dir, "timing.py")
if not os.path.isfile(script):
    sys.exit(f"the peer's timing.py is not in {peer_dir}")
os.chdir(peer_dir)
sys.path.insert(0, peer_dir)
sys.argv = [script, model, parts, reps]
g = runpy.run_path(script, run_name="__main__")
results, log = g["results"], g["TIMING_LOG"]

repeats, at = {}, 0
for key, v in results.items():
    if not (isinstance(v, dict) and isinstance(v.get("median_wall"), float)):
        continue  # not a timing (timing.py's cnn "c_hvp_..._all_s" holds its repeats' list as median_wall)
    for i in range(at, len(log)):
        w = log[i]["wall"]
        if statistics.median(w) == v["median_wall"] and min(w) == v["min_wall"]:
            repeats[key] = list(w)
            at = i  # the next key may name the same timing (timing.py logs cnn's c twice)
            break
    else:
        sys.exit(f"no repeats found in timing.py's TIMING_LOG for {key}")
results["repeats"] = repeats
results["peer_command"] = f"timing.py {model} {parts} {reps}"
with open(out_json, "w") as f:
    json.dump(results, f, indent=1)
