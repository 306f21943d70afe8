# Sourced by gamerlab's scripts: where things are. Found, not assumed.
: "${GAMERLAB_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/gamerlab}"
export GAMERLAB_CACHE
# The build targets Java 25 (pom.xml's maven.compiler.release): older JDKs can neither compile
# nor run it. JAVA_HOME is taken if it is new enough, else a JDK under GAMERLAB_JDK_DIRS.
GAMERLAB_JDK_MAJOR=25
: "${GAMERLAB_JDK_DIRS:=/usr/lib/jvm}"
jdk_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {split($2, v, "."); print v[1]}'
}
find_jdk() {
  local j d
  for j in "${JAVA_HOME:-}" $(for d in $GAMERLAB_JDK_DIRS; do ls -d "$d"/* 2>/dev/null; done); do
    [ -x "$j/bin/javac" ] || continue
    [ "$(jdk_major "$j")" -ge "$GAMERLAB_JDK_MAJOR" ] 2>/dev/null && { echo "$j"; return 0; }
  done
  return 1
}
# What is wrong when no JDK was found, for scripts/setup.sh's error.
jdk_problem() {
  local given=${GAMERLAB_JAVA_HOME_GIVEN:-}
  if [ -n "$given" ] && [ -x "$given/bin/java" ]; then
    echo "JAVA_HOME=$given is Java $(jdk_major "$given"), and no JDK >= $GAMERLAB_JDK_MAJOR is under $GAMERLAB_JDK_DIRS"
  else
    echo "no JDK >= $GAMERLAB_JDK_MAJOR${given:+ (JAVA_HOME=$given has no bin/java)} under $GAMERLAB_JDK_DIRS"
  fi
}
GAMERLAB_JAVA_HOME_GIVEN=${JAVA_HOME:-}
JAVA_HOME=$(find_jdk) || JAVA_HOME=
export JAVA_HOME
[ -z "$JAVA_HOME" ] || export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"  # quiets Maven's own guava on JDK 25
