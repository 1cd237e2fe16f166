#!/usr/bin/env bash
# trajlab's one entry point. On a fresh machine of this kind it installs what the build needs (Debian packages
# xvfb, xauth, dataset-fashion-mnist; Maven 3.9 by coordinates; picks a JDK 21+), then:
#   ./build.sh run [SPEC.json] [--out DIR]   build the product if needed, run an experiment headless
#                                            (no spec: the default experiment on Fashion-MNIST)
#   ./build.sh workbench                     build if needed, open the workbench (needs a display)
#   ./build.sh test                          build everything and run every test (UI tests under Xvfb)
#   ./build.sh build                         build the product and update site, no tests
#   ./build.sh bench [PARTS]                 benchmarks against the PyTorch peer (slow; see README)
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
cd "$ROOT"
# shellcheck source=releng/scripts/env.sh
source "$ROOT/releng/scripts/env.sh"
setup_env

PRODUCT="$ROOT/releng/org.trajlab.product/target/products/org.trajlab.product/linux/gtk/x86_64/trajlab"
MVN=(mvn -B)
[ -n "${TRAJLAB_M2_REPO:-}" ] && MVN+=("-Dmaven.repo.local=$TRAJLAB_M2_REPO")

build_product() {
  say "building trajlab (first time: several minutes to fetch Eclipse and DL4J from Maven Central)"
  "${MVN[@]}" -q verify -DskipTests -Dtrajlab.skipInstallTest=true
}

cmd="${1:-run}"; shift || true
case "$cmd" in
  run)
    [ -x "$PRODUCT/trajlab" ] || build_product
    exec "$PRODUCT/trajlab" run "$@" ;;
  workbench)
    [ -x "$PRODUCT/trajlab-workbench" ] || build_product
    exec "$PRODUCT/trajlab-workbench" "$@" ;;
  build)
    build_product
    say "product: $PRODUCT"
    say "update site: $ROOT/releng/org.trajlab.repository/target/repository" ;;
  test)
    # every test: the fresh-machine bootstrap check, unit and integration tests in OSGi, the UI tests under Xvfb,
    # the p2 update-site install test
    bash "$ROOT/releng/scripts/check-bootstrap.sh"
    xvfb-run -a -s "-screen 0 1600x1000x24" "${MVN[@]}" clean verify "$@" ;;
  bench)
    exec bash "$ROOT/releng/scripts/bench.sh" "$@" ;;
  *)
    echo "usage: ./build.sh run [SPEC.json] [--out DIR] | workbench | test | build | bench" >&2; exit 2 ;;
esac
