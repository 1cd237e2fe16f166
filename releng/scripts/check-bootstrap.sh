#!/usr/bin/env bash
# The fresh-machine check (run by `./build.sh test`, so by CI): the project's own bootstrap, started FROM THE
# PROJECT FOLDER with an empty TRAJLAB_CACHE and an empty local Maven repository, must fetch Maven 3.9.x by its
# coordinates with the machine's older Maven, and that Maven must run. A machine whose caches are full (like the
# one CI runs on) would otherwise hide a bootstrap that fails everywhere else. About 30 s (it downloads ~40 MB).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
cache=$(mktemp -d); repo=$(mktemp -d)
trap 'rm -rf "$cache" "$repo"' EXIT
start=$(date +%s)
# a fresh machine's environment: its own PATH (no Maven or JDK that ./build.sh put first), no JAVA_HOME, MAVEN_HOME
if ! out=$(env -i HOME="$HOME" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    ${http_proxy:+http_proxy=$http_proxy} ${https_proxy:+https_proxy=$https_proxy} \
    TRAJLAB_CACHE="$cache" TRAJLAB_M2_REPO="$repo" bash -c 'source releng/scripts/env.sh; select_jdk; ensure_maven; mvn -v' 2>&1); then
  printf '%s\n' "$out" | grep -v '^WARNING: ' >&2
  echo "[trajlab] bootstrap check FAILED: the bootstrap cannot fetch Maven into an empty cache" >&2
  exit 1
fi
out=$(printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g')
version=$(printf '%s\n' "$out" | sed -n 's/^Apache Maven \([0-9.]*\).*/\1/p' | head -1)
home=$(printf '%s\n' "$out" | sed -n 's/^Maven home: //p' | head -1)
case "$version" in
  3.9.*) ;;
  *) printf '%s\n' "$out" >&2; echo "[trajlab] bootstrap check FAILED: the fetched Maven reports '$version', not 3.9.x" >&2; exit 1 ;;
esac
case "$home" in
  "$cache"/tools/*) ;;
  *) echo "[trajlab] bootstrap check FAILED: mvn runs from $home, not from the fresh cache $cache" >&2; exit 1 ;;
esac
echo "[trajlab] bootstrap check passed: Maven $version fetched into an empty cache from the project folder in $(( $(date +%s) - start )) s" >&2
