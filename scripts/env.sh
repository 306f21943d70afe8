# Sourced by gamerlab's scripts: where things are. Found, not assumed.
: "${GAMERLAB_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/gamerlab}"
export GAMERLAB_CACHE
find_jdk() {
  local j v
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/*2[2-9]* /usr/lib/jvm/*; do
    [ -x "$j/bin/javac" ] || continue
    v=$("$j/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    [ "${v%%.*}" -ge 22 ] 2>/dev/null && { echo "$j"; return 0; }
  done
  return 1
}
JAVA_HOME=$(find_jdk) || JAVA_HOME=
export JAVA_HOME
[ -z "$JAVA_HOME" ] || export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"  # quiets Maven's own guava on JDK 25
