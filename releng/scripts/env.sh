# Sourced by ./build.sh: makes a fresh machine of this kind ready to build and run trajlab.
#  - Debian packages: xvfb + xauth (UI tests need a display), libgtk-3-0 (SWT draws with GTK 3), dataset-fashion-mnist
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

# The Maven coordinates are fetched by the machine's own (older) Maven in a scratch folder of their own, with a
# one-line pom: inside the project folder `.mvn/extensions.xml` would load Tycho's build extension, which needs
# Maven 3.9, and the old Maven would fail before it fetched anything. A transient failure is retried once; a
# failure prints Maven's own last lines. The unpacked tree is moved into place only when complete.
# TRAJLAB_M2_REPO, when set, is the local Maven repository for the bootstrap and the build (cold-cache checks).
ensure_maven() {
  local home="$TRAJLAB_CACHE/tools/apache-maven-$TRAJLAB_MAVEN_VERSION"
  if [ ! -x "$home/bin/mvn" ]; then
    command -v mvn >/dev/null || die "Maven is needed once to fetch Maven $TRAJLAB_MAVEN_VERSION (apt-get install maven)"
    say "fetching Maven $TRAJLAB_MAVEN_VERSION by its coordinates"
    mkdir -p "$TRAJLAB_CACHE/tools"
    local work attempt ok=""
    work=$(mktemp -d "${TMPDIR:-/tmp}/trajlab-bootstrap.XXXXXX")
    cat > "$work/pom.xml" <<'POM'
<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.trajlab.bootstrap</groupId>
  <artifactId>fetch-maven</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
</project>
POM
    local args=(-B -C -f "$work/pom.xml")
    [ -n "${TRAJLAB_M2_REPO:-}" ] && args+=("-Dmaven.repo.local=$TRAJLAB_M2_REPO")
    for attempt in 1 2; do
      # the retry forces updates (-U): Maven would otherwise remember the failure in the local repository
      if (cd "$work" && mvn "${args[@]}" $([ "$attempt" = 2 ] && echo -U) \
            org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
            -Dartifact="org.apache.maven:apache-maven:$TRAJLAB_MAVEN_VERSION:tar.gz:bin" \
            -DoutputDirectory="$work/dist" -Dmdep.overWriteReleases=true) >"$work/mvn.log" 2>&1 \
         && mkdir -p "$work/unpacked" \
         && tar xzf "$work/dist/apache-maven-$TRAJLAB_MAVEN_VERSION-bin.tar.gz" -C "$work/unpacked" 2>>"$work/mvn.log"; then
        ok=1; break
      fi
      [ "$attempt" = 1 ] && { say "the download failed; trying once more"; sleep 3; }
    done
    if [ -z "$ok" ]; then
      printf "[trajlab] the machine's Maven (%s) said (last lines of %s):\n" \
        "$(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')" "$work/mvn.log" >&2
      sed 's/\x1b\[[0-9;]*m//g' "$work/mvn.log" | grep -v -E '^WARNING: |^\[(WARNING|ERROR)\] *$|^\[INFO\] -+$|Total time|Finished at|Re-run Maven|full stack trace|For more information|\[Help 1\] ' \
        | tail -8 | sed 's/^/    /' >&2
      die "could not fetch Maven $TRAJLAB_MAVEN_VERSION (org.apache.maven:apache-maven:$TRAJLAB_MAVEN_VERSION:tar.gz:bin) from Maven Central; see Maven's lines above"
    fi
    rm -rf "$home"
    mv "$work/unpacked/apache-maven-$TRAJLAB_MAVEN_VERSION" "$home" || die "could not move Maven into $home"
    rm -rf "$work"
  fi
  export MAVEN_HOME="$home"
  export PATH="$home/bin:$JAVA_HOME/bin:$PATH"
}

setup_env() {
  ensure_debian_packages xvfb xauth libgtk-3-0 dataset-fashion-mnist
  select_jdk
  ensure_maven
  # ND4J: a stable native cache per DL4J version, and no OpenMP spin-waiting on 2 cores
  export TRAJLAB_JAVACPP_CACHE="${TRAJLAB_JAVACPP_CACHE:-$TRAJLAB_CACHE/javacpp-$TRAJLAB_DL4J_VERSION-onednn}"
  export OMP_WAIT_POLICY=PASSIVE
  # glibc's malloc: ND4J arrays above 128 KB otherwise come as fresh mmap'd pages (page faults, zeroing) until frees
  # raise the threshold; fixed at 32 MB, a fresh process runs Hessian-vector products ~3x faster (0.69 s -> 0.25 s)
  export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456
}
