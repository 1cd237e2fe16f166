# Sourced by ./build.sh: makes a fresh machine of this kind ready to build and run trajlab.
#  - Debian packages: xvfb + xauth (UI tests need a display), dataset-fashion-mnist (the default data)
#  - a JDK 21+ (the machine's default java is 17; Temurin 25 lives under /usr/lib/jvm)
#  - Maven 3.9.x, fetched BY COORDINATES with whatever mvn the machine already has
# Everything it installs goes to Debian's package manager or to $TRAJLAB_CACHE (default ~/.cache/trajlab).

TRAJLAB_MAVEN_VERSION=3.9.11
TRAJLAB_DL4J_VERSION=1.0.0-M2.1
: "${TRAJLAB_CACHE:=$HOME/.cache/trajlab}"
export TRAJLAB_CACHE

say() { printf '[trajlab] %s\n' "$*" >&2; }
die() { printf '[trajlab] error: %s\n' "$*" >&2; exit 1; }

ensure_debian_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]} with apt-get"
}

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1 | cut -d. -f1; }

select_jdk() {
  local cand best="" best_v=0 v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(java_major "$JAVA_HOME/bin/java"); [ "${v:-0}" -ge 21 ] && return 0
  fi
  for cand in /usr/lib/jvm/*/bin/java; do
    [ -x "$cand" ] || continue
    v=$(java_major "$cand"); v=${v:-0}
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$(dirname "$(dirname "$cand")"); best_v=$v; fi
  done
  [ -n "$best" ] || die "no JDK 21 or newer under /usr/lib/jvm; install one (e.g. Debian's openjdk-21-jdk) or set JAVA_HOME"
  export JAVA_HOME="$best"
}

ensure_maven() {
  local home="$TRAJLAB_CACHE/tools/apache-maven-$TRAJLAB_MAVEN_VERSION"
  if [ ! -x "$home/bin/mvn" ]; then
    command -v mvn >/dev/null || die "Maven is needed once to fetch Maven $TRAJLAB_MAVEN_VERSION (apt-get install maven)"
    say "fetching Maven $TRAJLAB_MAVEN_VERSION by its coordinates"
    mkdir -p "$TRAJLAB_CACHE/tools"
    mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.apache.maven:apache-maven:$TRAJLAB_MAVEN_VERSION:tar.gz:bin" \
      -DoutputDirectory="$TRAJLAB_CACHE/tools" >/dev/null || die "could not fetch Maven $TRAJLAB_MAVEN_VERSION"
    tar xzf "$TRAJLAB_CACHE/tools/apache-maven-$TRAJLAB_MAVEN_VERSION-bin.tar.gz" -C "$TRAJLAB_CACHE/tools"
  fi
  export MAVEN_HOME="$home"
  export PATH="$home/bin:$JAVA_HOME/bin:$PATH"
}

setup_env() {
  ensure_debian_packages xvfb xauth dataset-fashion-mnist
  select_jdk
  ensure_maven
  # ND4J: a stable native cache per DL4J version, and no OpenMP spin-waiting on 2 cores
  export TRAJLAB_JAVACPP_CACHE="${TRAJLAB_JAVACPP_CACHE:-$TRAJLAB_CACHE/javacpp-$TRAJLAB_DL4J_VERSION-onednn}"
  export OMP_WAIT_POLICY=PASSIVE
  # glibc's malloc: ND4J arrays above 128 KB otherwise come as fresh mmap'd pages (page faults, zeroing) until frees
  # raise the threshold; fixed at 32 MB, a fresh process runs Hessian-vector products ~3x faster (0.69 s -> 0.25 s)
  export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456
}
