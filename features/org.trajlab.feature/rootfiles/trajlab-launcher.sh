# shellcheck shell=bash
# The code the launchers trajlab and trajlab-workbench share, sourced by both (and by releng/scripts/env.sh for the
# build's environment); it defines functions and runs nothing. The settings themselves are in
# trajlab-jvm.properties next to this file.
#
#   trajlab_prepare INSTALL_DIR   picks a Java 21+ ($trajlab_java), collects the JVM options ($trajlab_jvm_opts: the
#                                 settings' options, those for JDK 23+ when it is one, then $TRAJLAB_JAVA_OPTS),
#                                 exports the settings' environment (OMP_WAIT_POLICY, MALLOC_*; values already set
#                                 win) and finds the Equinox launcher jar ($trajlab_equinox)
#
# Environment: TRAJLAB_JAVA (a java 21+), TRAJLAB_JAVA_OPTS (extra JVM options), TRAJLAB_JAVACPP_CACHE (the native
# library cache; read by the DL4J bundle), and any variable of trajlab-jvm.properties' trajlab.env.* set beforehand.

TRAJLAB_JVM_SETTINGS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/trajlab-jvm.properties"

# trajlab_java_major JAVA: the Java major version of a java executable (17, 21, 25)
trajlab_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1 | cut -d. -f1
}

# trajlab_setting KEY: the value of KEY in trajlab-jvm.properties (fails, saying so, when it is not there)
trajlab_setting() {
  local key value
  while IFS='=' read -r key value || [ -n "$key" ]; do
    [ "$key" = "$1" ] && { printf '%s\n' "$value"; return 0; }
  done < "$TRAJLAB_JVM_SETTINGS"
  echo "[trajlab] $1 is missing from $TRAJLAB_JVM_SETTINGS" >&2
  return 1
}

# trajlab_export_env: exports NAME=VALUE for every trajlab.env.NAME=VALUE of the settings, unless NAME is already set
trajlab_export_env() {
  local key value name
  while IFS='=' read -r key value || [ -n "$key" ]; do
    case "$key" in
      trajlab.env.?*)
        name=${key#trajlab.env.}
        [ -n "${!name:-}" ] || export "$name=$value" ;;
    esac
  done < "$TRAJLAB_JVM_SETTINGS"
}

# trajlab_jdk23_options JAVA_MAJOR: prints the settings' extra JVM options for that Java major version (none below 23)
trajlab_jdk23_options() {
  if [ "${1:-0}" -ge 23 ]; then trajlab_setting trajlab.jvm.options.jdk23; fi
}

# trajlab_pick_java: the first java 21+ of $TRAJLAB_JAVA, $JAVA_HOME, the JDKs under /usr/lib/jvm, java on the PATH
trajlab_pick_java() {
  local c v
  for c in "${TRAJLAB_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV) \
           "$(command -v java || true)"; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    v=$(trajlab_java_major "$c"); [ "${v:-0}" -ge 21 ] && { echo "$c"; return 0; }
  done
  return 1
}

trajlab_prepare() {
  local line more=()
  trajlab_java=$(trajlab_pick_java) || { echo "[trajlab] needs Java 21 or newer: set TRAJLAB_JAVA or JAVA_HOME" >&2; return 1; }
  line=$(trajlab_setting trajlab.jvm.options) || return 1
  # read -a splits on blanks and never expands globs (the bootdelegation list holds 'sun.*')
  read -r -a trajlab_jvm_opts <<< "$line"
  line=$(trajlab_jdk23_options "$(trajlab_java_major "$trajlab_java")") || return 1
  read -r -a more <<< "$line"; trajlab_jvm_opts+=("${more[@]}")
  read -r -a more <<< "${TRAJLAB_JAVA_OPTS:-}"; trajlab_jvm_opts+=("${more[@]}")
  trajlab_export_env
  trajlab_equinox=$(ls "$1"/plugins/org.eclipse.equinox.launcher_*.jar 2>/dev/null | head -1)
  [ -n "$trajlab_equinox" ] || { echo "[trajlab] no Equinox launcher in $1/plugins" >&2; return 1; }
}
