# Sourced by ./build.sh: makes a fresh machine of this kind ready to build and run trajlab.
#  - Debian packages: xvfb + xauth (UI tests need a display), libgtk-3-0 (SWT draws with GTK 3), dataset-fashion-mnist
#  - a JDK 21+ (the machine's default java is 17; Temurin 25 lives under /usr/lib/jvm)
#  - Maven 3.9.x, fetched BY COORDINATES with whatever mvn the machine already has
#  - the build's environment: the JVM settings of the launchers (trajlab-jvm.properties: OMP_WAIT_POLICY, MALLOC_*,
#    and for Maven's own JVM on JDK 23+ the JDK 23 options), read with the launchers' own code (trajlab-launcher.sh)
# Everything it installs goes to Debian's package manager or to $TRAJLAB_CACHE (default ~/.cache/trajlab).

TRAJLAB_MAVEN_VERSION=3.9.11
: "${TRAJLAB_CACHE:=$HOME/.cache/trajlab}"
export TRAJLAB_CACHE
# the launchers' settings and shared code, from the repository: trajlab_java_major, trajlab_setting, trajlab_export_env
# shellcheck source=../../features/org.trajlab.feature/rootfiles/trajlab-launcher.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/features/org.trajlab.feature/rootfiles/trajlab-launcher.sh"

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

select_jdk() {
  local cand best="" best_v=0 v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(trajlab_java_major "$JAVA_HOME/bin/java"); [ "${v:-0}" -ge 21 ] && return 0
  fi
  for cand in /usr/lib/jvm/*/bin/java; do
    [ -x "$cand" ] || continue
    v=$(trajlab_java_major "$cand"); v=${v:-0}
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
  # the JVM environment of trajlab-jvm.properties (no OpenMP spin-waiting, glibc's malloc thresholds; the reasons are
  # there), values already set winning. The JavaCPP cache needs nothing: the DL4J bundle names it after its version
  # in $TRAJLAB_CACHE ($TRAJLAB_JAVACPP_CACHE, when set, wins)
  trajlab_export_env
  # Maven's own JVM on JDK 23+: the same JDK 23 options as trajlab's JVMs (Maven's libraries use sun.misc.Unsafe too)
  local opts opt
  opts=$(trajlab_jdk23_options "$(trajlab_java_major "$JAVA_HOME/bin/java")") || die "see trajlab-jvm.properties"
  for opt in $opts; do
    case " ${MAVEN_OPTS:-} " in *" $opt "*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }$opt" ;; esac
  done
}
