#!/usr/bin/env bash
# The update-site test, end to end and from outside, as a user meets trajlab:
#  1. install the trajlab feature from releng/org.trajlab.repository (the p2 update site) into a bare Equinox
#     product that has no trajlab bundle, with the p2 director application;
#  2. run a short headless job with the installed launcher and bundles: exit 0, a complete run folder; its
#     environment.json records the installed DL4J version, the JavaCPP cache named after it and the JVM environment;
#  3. the workbench's perspective, views, wizards and their pages, instrument views, help and cheat sheet are
#     registered in the installed product (trajlab contributions reads its extension registry);
#  4. a wrong spec: exit 2 and one sentence;
#  5. kill -9 a running job: every line already written to metrics.csv still parses, status.json is whole.
# Prints "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
ROOT=$(cd "$1" && pwd)
WORK=$2
BASE="$ROOT/releng/org.trajlab.product/target/products/org.trajlab.base/linux/gtk/x86_64/trajlab-base"
REPO="$ROOT/releng/org.trajlab.repository/target/repository"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
pass=0; fail=0
ok()   { pass=$((pass+1)); echo "[install-test] PASS $*"; }
bad()  { fail=$((fail+1)); echo "[install-test] FAIL $*"; }
finish() { echo "[install-test] $pass passed, $fail failed"; echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

rm -rf "$WORK"; mkdir -p "$WORK"
[ -d "$BASE" ] || { bad "no base product at $BASE"; finish; }
[ -f "$REPO/content.jar" ] || [ -f "$REPO/content.xml.xz" ] || [ -f "$REPO/content.xml" ] || { bad "no update site at $REPO"; finish; }
cp -a "$BASE" "$WORK/eclipse"
E="$WORK/eclipse"
[ ! -e "$E/trajlab" ] && ! ls "$E"/plugins/org.trajlab.* >/dev/null 2>&1 && ok "the base product has no trajlab bundle" || bad "the base product already holds trajlab"

t0=$(date +%s)
"$JAVA" -jar "$E"/plugins/org.eclipse.equinox.launcher_*.jar -nosplash -consoleLog \
  -application org.eclipse.equinox.p2.director -repository "file:$REPO" \
  -installIU org.trajlab.feature.feature.group -destination "$E" -profile DefaultProfile > "$WORK/director.log" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ -x "$E/trajlab" ] && ls "$E"/plugins/org.trajlab.engine_*.jar >/dev/null 2>&1 && ls -d "$E"/plugins/org.trajlab.dl4j_* >/dev/null 2>&1; then
  ok "p2 director installed org.trajlab.feature ($(( $(date +%s) - t0 )) s)"
else
  bad "p2 director (exit $rc):"; tail -20 "$WORK/director.log"; finish
fi

cat > "$WORK/short.json" <<'JSON'
{ "name": "installed", "training": { "steps": 40, "batchSize": 100 }, "data": { "trainEvalSize": 1000 },
  "eval": { "every": 20 },
  "probes": [ { "type": "walk", "schedule": { "every": 4 }, "params": { "points": 10 } } ] }
JSON
"$E/trajlab" run "$WORK/short.json" --out "$WORK/run-ok" > "$WORK/run-ok.out" 2> "$WORK/run-ok.err"
rc=$?
walks=$(grep -c ',walk,height,' "$WORK/run-ok/metrics.csv" 2>/dev/null)
if [ $rc -eq 0 ] && [ "$walks" = 10 ] && grep -q '"state" : "DONE"' "$WORK/run-ok/status.json" && [ -f "$WORK/run-ok/summary.json" ] \
   && grep -q 'ETA' "$WORK/run-ok.err"; then
  ok "headless run with the installed bundles: exit 0, 10 walks, status DONE, progress with ETA"
else
  bad "headless run: exit $rc, walks=$walks"; tail -20 "$WORK/run-ok.err"
fi

# the settings reach the installed run: environment.json records the DL4J version the installed bundle was built
# with, the JavaCPP cache folder named after it (and ND4J's natives are unpacked there) and the JVM environment of
# the installed trajlab-jvm.properties
dl4jprops=$(ls "$E"/plugins/org.trajlab.dl4j_*/org/trajlab/dl4j/dl4j.properties 2>/dev/null | head -1)
prop() { sed -n "s/^$1=//p" "$2" | head -1; }
v=$(prop dl4j.version "$dl4jprops"); cls=$(prop nd4j.classifier "$dl4jprops")
cache="${TRAJLAB_JAVACPP_CACHE:-${TRAJLAB_CACHE:-$HOME/.cache/trajlab}/javacpp-$v${cls#linux-x86_64}}"
omp="${OMP_WAIT_POLICY:-$(prop trajlab.env.OMP_WAIT_POLICY "$E/trajlab-jvm.properties")}"
if [ -n "$v" ] && python3 - "$WORK/run-ok/environment.json" "$v" "$cache" "$omp" <<'PY'
import json, sys
env, version, cache, omp = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3], sys.argv[4]
assert env["dl4j_version"] == version, (env["dl4j_version"], version)
assert env["nd4j"]["javacpp_cachedir"] == cache, (env["nd4j"]["javacpp_cachedir"], cache)
assert env["nd4j"]["OMP_WAIT_POLICY"] == omp, (env["nd4j"]["OMP_WAIT_POLICY"], omp)
PY
then
  if ls "$cache"/*/libnd4jcpu.so >/dev/null 2>&1; then
    ok "environment.json: DL4J $v, JavaCPP cache $cache (ND4J's natives there), OMP_WAIT_POLICY=$omp"
  else
    bad "no libnd4jcpu.so under the JavaCPP cache $cache"
  fi
else
  bad "environment.json does not record the installed settings (DL4J '$v', cache $cache, OMP_WAIT_POLICY=$omp)"
fi

# the workbench came with the feature: the installed registry (trajlab contributions) offers its perspective, views,
# wizards and their pages, every instrument view, the help and the cheat sheet
"$E/trajlab" contributions > "$WORK/contributions.txt" 2> "$WORK/contributions.err"
rc=$?
missing=()
for want in "perspective	org.trajlab.ui.perspective" "view	org.trajlab.ui.runsView" "view	org.trajlab.ui.instrumentView" \
    "view	org.trajlab.ui.linesView" "view	org.trajlab.ui.compareView" "command	org.trajlab.ui.newExperiment" \
    "wizard-page	org.trajlab.ui.restart" "wizard-page	org.trajlab.ui.modelData" "wizard-page	org.trajlab.ui.optimizer" \
    "wizard-page	org.trajlab.ui.probes" "wizard-page	org.trajlab.ui.output" "wizard-page	org.trajlab.ui.spec" \
    "wizard-page	org.trajlab.probes.noise.page" "instrument	walk" "instrument	curvature" "instrument	landscape" \
    "instrument	spectrum" "instrument	noise" "instrument	averaging" "instrument	embedding" \
    "preference-page	org.trajlab.ui.preferences" "help-toc	toc.xml" "cheat-sheet	org.trajlab.ui.cheatsheets.walk000" \
    "probe	walk" "probe	curvature" "probe	noise" "probe	lrscan"; do
  grep -q "^$want	" "$WORK/contributions.txt" || missing+=("$want")
done
if [ $rc -eq 0 ] && [ ${#missing[@]} -eq 0 ]; then
  ok "the installed registry offers the workbench: $(cut -f1 "$WORK/contributions.txt" | sort | uniq -c | awk '{printf "%s %s, ", $1, $2}' | sed 's/, $//')"
else
  bad "trajlab contributions (exit $rc) lacks: ${missing[*]}"; cat "$WORK/contributions.err"; cat "$WORK/contributions.txt"
fi

echo '{ "optimizer": { "lr": -1 } }' > "$WORK/bad.json"
"$E/trajlab" run "$WORK/bad.json" --out "$WORK/run-bad" > /dev/null 2> "$WORK/run-bad.err"
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l < "$WORK/run-bad.err")" -eq 1 ] && grep -q "learning rate" "$WORK/run-bad.err"; then
  ok "a wrong spec exits 2 with one sentence: $(cat "$WORK/run-bad.err")"
else
  bad "wrong spec: exit $rc, stderr:"; cat "$WORK/run-bad.err"
fi

cat > "$WORK/long.json" <<'JSON'
{ "name": "killed", "training": { "epochs": 5, "batchSize": 50 }, "data": { "trainEvalSize": 500 },
  "probes": [ { "type": "walk", "schedule": { "every": 1 }, "params": { "points": 10 } } ] }
JSON
"$E/trajlab" run "$WORK/long.json" --out "$WORK/run-killed" > /dev/null 2> "$WORK/run-killed.err" &
pid=$!
for _ in $(seq 1 240); do
  n=0
  [ -f "$WORK/run-killed/metrics.csv" ] && n=$(wc -l < "$WORK/run-killed/metrics.csv")
  [ "${n:-0}" -gt 2000 ] && break
  sleep 0.5
done
java_pid=$(pgrep -P $pid || echo $pid)
kill -9 $java_pid $pid 2>/dev/null; wait $pid 2>/dev/null
if python3 - "$WORK/run-killed" <<'PY'
import csv, json, sys, math
d = sys.argv[1]
rows = list(csv.reader(open(d + "/metrics.csv", newline="")))
assert rows[0] == ["step", "epoch", "probe", "quantity", "index", "value"], rows[0]
for r in rows[1:]:
    assert len(r) == 6, r
    int(r[0]); int(r[1]); float(r[5])
    if r[4] != "": float(r[4])
assert len(rows) > 2000, len(rows)
st = json.load(open(d + "/status.json"))
assert st["state"] == "RUNNING", st
print(f"{len(rows) - 1} rows parse after kill -9 at update {st['step']}")
PY
then ok "kill -9 mid-run leaves metrics.csv and status.json whole"; else bad "kill -9 left an unreadable run folder"; fi

finish
