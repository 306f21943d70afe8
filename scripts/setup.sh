#!/usr/bin/env bash
# Brings what gamerlab needs onto a Debian machine, idempotently. Both README commands call it.
# Nothing downloaded lands in the repository: the cache lives in $GAMERLAB_CACHE.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/scripts/env.sh"

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# ---- 1. JDK >= 25 (what pom.xml compiles for; FFM is final from 22) ------------------------
[ -n "${JAVA_HOME:-}" ] || die "$(jdk_problem). gamerlab is built for Java $GAMERLAB_JDK_MAJOR: install a JDK $GAMERLAB_JDK_MAJOR (Debian bookworm has none; e.g. Temurin $GAMERLAB_JDK_MAJOR from adoptium.net, which installs under /usr/lib/jvm) and set JAVA_HOME to it."

# ---- 2. Debian packages from the system's own sources -------------------------------------
# stress-ng goes into the guest image; gcc, make, libelf-dev and zlib1g-dev build the kernel's
# tools/sched_ext examples (scx_simple) from the guest kernel's source.
system_packages=(clang-19 llvm-19 qemu-system-x86 busybox-static e2fsprogs xz-utils
  jupyter-notebook jupyter-nbconvert python3-nbconvert python3-nbclient jupyter-client python3-ipykernel
  fontconfig fonts-dejavu-core maven libelf1 zlib1g stress-ng gcc make libc6-dev libelf-dev zlib1g-dev)
missing=()
for p in "${system_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get: see README 'Other distributions'."
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# QEMU is started through `setpriv --pdeathsig KILL`, so that it dies with the JVM that started it.
setpriv --help 2>/dev/null | grep -q -- --pdeathsig \
  || die "setpriv with --pdeathsig (util-linux >= 2.33) is missing: install util-linux (Debian always has it)."

# ---- 3. Newer packages from a private apt tree (the system's sources stay untouched) ------
# libbpf >= 1.4 understands SEC(".struct_ops.link"); Debian 7.x kernels have sched_ext.
apt_dir="$GAMERLAB_CACHE/apt"
mkdir -p "$apt_dir/sources" "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/debs"
# The system's own Debian mirror, unless GAMERLAB_DEBIAN_MIRROR names another.
src=${GAMERLAB_DEBIAN_MIRROR:-$(grep -h -m1 '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' || true)}
key=$(grep -h -m1 '^Signed-By:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' || true)
: "${src:=http://deb.debian.org/debian}" "${key:=/usr/share/keyrings/debian-archive-keyring.gpg}"
cat > "$apt_dir/sources/gamerlab.sources" <<SRC
Types: deb
URIs: $src
Suites: bookworm-backports trixie-backports
Components: main
Signed-By: $key
SRC
apt_private=(-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$apt_dir/sources"
  -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache::Archives="$apt_dir/archives"
  -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
apt_updated=
# Fetches the private lists for $1 (what they are needed for); apt-get update exits 0 even when
# it reached no server, so success is judged by the lists it left.
private_update() {
  [ -z "$apt_updated" ] || return 0
  log "updating private apt lists"
  local said; said=$(apt-get "${apt_private[@]}" -o Acquire::Retries=0 update -qq 2>&1) || true
  local suite missing=
  for suite in bookworm-backports trixie-backports; do
    ls "$apt_dir/lists/"*"_dists_${suite}_"*Packages* >/dev/null 2>&1 || missing="$missing $suite"
  done
  [ -z "$missing" ] || die "cannot reach the Debian archive at $src (suites:$missing), which gamerlab needs for $1. \
Check the network (or apt's proxy setting), set GAMERLAB_DEBIAN_MIRROR to a Debian mirror you can reach, or put the \
files in place by hand (README, 'On other distributions'). apt said: $(echo "$said" | tail -n 3 | tr '\n' ' ')"
  apt_updated=1
}

# newest candidate of NAME in SUITE, printed as a version
candidate() { apt-cache "${apt_private[@]}" madison "$1" | awk -v s="$2" '$0 ~ s {print $3; exit}'; }

# fetch NAME (from SUITE; at VERSION if given, else the newest) into debs/ and unpack it under
# DEST; remembers what it unpacked
unpack() {
  local name=$1 suite=$2 dest=$3 ver=${4:-} stamp="$3/.$1.unpacked"
  [ -f "$stamp" ] && return 0
  private_update "$name"
  [ -n "$ver" ] || ver=$(candidate "$name" "$suite")
  [ -n "$ver" ] || die "package $name not found in $suite (private apt tree $apt_dir)."
  log "fetching $name $ver ($suite)"
  (cd "$apt_dir/debs" && apt-get "${apt_private[@]}" download -qq "$name=$ver") \
    || die "could not download $name=$ver"
  mkdir -p "$dest"
  dpkg-deb -x "$apt_dir/debs/${name}_${ver//:/%3a}_"*.deb "$dest"
  echo "$ver" > "$stamp"
}

tools="$GAMERLAB_CACHE/tools"
unpack libbpf1 bookworm-backports "$tools"
unpack libbpf-dev bookworm-backports "$tools"
unpack bpftool bookworm-backports "$tools"

# The guest kernel: resolve the cloud flavour's image package by name at install time.
kernel_dir="$GAMERLAB_CACHE/kernel"
if [ ! -f "$kernel_dir/.complete" ]; then
  private_update "the guest kernel (linux-image-cloud-amd64 from trixie-backports)"
  image_pkg=$(apt-cache "${apt_private[@]}" depends linux-image-cloud-amd64 2>/dev/null \
    | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  [ -n "$image_pkg" ] || die "cannot resolve linux-image-cloud-amd64 in trixie-backports."
  log "guest kernel package: $image_pkg"
  rm -rf "$kernel_dir"; mkdir -p "$kernel_dir/root"
  # 7.x kernels split the image into binary/base/modules packages; fetch whatever the image pulls in.
  for dep in $image_pkg $(apt-cache "${apt_private[@]}" depends "$image_pkg" | awk '/Depends: linux-(binary|base|modules)-/ {print $2}'); do
    unpack "$dep" trixie-backports "$kernel_dir/root"
  done
  unpack linux-bpf-dev trixie-backports "$kernel_dir/root"
  # 7.x packages keep vmlinuz and config in /usr/lib/modules/<release>/, older ones in /boot.
  vmlinuz=$(find "$kernel_dir/root" -name 'vmlinuz*' -type f | head -n1)
  config=$(find "$kernel_dir/root" \( -name config -o -name 'config-*' \) -type f -path '*/modules/*' -o -path '*/boot/config-*' | head -n1)
  [ -n "$vmlinuz" ] && [ -n "$config" ] || die "$image_pkg has no vmlinuz or config where expected."
  grep -qx 'CONFIG_SCHED_CLASS_EXT=y' "$config" \
    || die "$image_pkg was built without CONFIG_SCHED_CLASS_EXT=y ($config); gamerlab needs a sched_ext kernel for the guest."
  grep -qx 'CONFIG_DEBUG_INFO_BTF=y' "$config" || die "$image_pkg has no BTF ($config)."
  ln -sf "$vmlinuz" "$kernel_dir/vmlinuz"
  ln -sf "$config" "$kernel_dir/config"
  vmlinux_h=$(find "$kernel_dir/root" -name vmlinux.h -path '*x86*' | head -n1)
  [ -n "$vmlinux_h" ] || vmlinux_h=$(find "$kernel_dir/root" -name vmlinux.h | head -n1)
  [ -n "$vmlinux_h" ] || die "linux-bpf-dev carries no vmlinux.h"
  ln -sf "$vmlinux_h" "$kernel_dir/vmlinux.h"
  release=$(basename "$(dirname "$vmlinuz")"); [ "$release" != boot ] || release=$(basename "$vmlinuz" | sed 's/^vmlinuz-//')
  echo "$release" > "$kernel_dir/release"
  touch "$kernel_dir/.complete"
fi
log "ready: JDK $JAVA_HOME, kernel $(cat "$kernel_dir/release"), libbpf $(cat "$tools/.libbpf1.unpacked")"

# ---- 3b. The guest kernel's source: Debian's linux-source-<major.minor> at the guest kernel's -----
# package version, unpacked whole into $GAMERLAB_CACHE/kernel-source/linux (its tools/ build the
# kernel's own sched_ext examples and BPF selftests against the kernel the guest boots).
release=$(cat "$kernel_dir/release")
kernel_version=$(cat "$kernel_dir/root/.linux-image-$release.unpacked" 2>/dev/null) \
  || die "no record of the guest kernel package's version ($kernel_dir/root/.linux-image-$release.unpacked): remove $kernel_dir and run again."
source_dir="$GAMERLAB_CACHE/kernel-source"
if [ "$(cat "$source_dir/.complete" 2>/dev/null)" != "$kernel_version" ]; then
  source_pkg=linux-source-$(echo "$release" | cut -d. -f1,2)
  rm -rf "$source_dir"; mkdir -p "$source_dir/deb"
  unpack "$source_pkg" trixie-backports "$source_dir/deb" "$kernel_version"
  tarball=$(find "$source_dir/deb/usr/src" -name "$source_pkg.tar.*" | head -n1)
  [ -n "$tarball" ] || die "$source_pkg $kernel_version carries no source tarball under /usr/src."
  log "unpacking $(basename "$tarball") (about 1.8 GB)"
  tar -xf "$tarball" -C "$source_dir"
  mv "$source_dir/$source_pkg" "$source_dir/linux"
  rm -rf "$source_dir/deb"
  echo "$kernel_version" > "$source_dir/.complete"
fi

# ---- 3c. The kernel's own example scheduler, scx_simple, for the guest's stress test -----------
# Built from that source with the guest kernel's vmlinux.h (this host's kernel may lack sched_ext)
# and the cached bpftool; tools/sched_ext builds its own libbpf.
scx_dir="$GAMERLAB_CACHE/scx"
if [ "$(cat "$scx_dir/.complete" 2>/dev/null)" != "$kernel_version" ]; then
  rm -rf "$scx_dir"; mkdir -p "$scx_dir"
  log "building scx_simple from the kernel's tools/sched_ext"
  make -s -C "$source_dir/linux/tools/sched_ext" O="$scx_dir" CLANG=clang-19 \
    BPFTOOL="$tools/usr/sbin/bpftool" VMLINUX_H="$kernel_dir/vmlinux.h" scx_simple >"$scx_dir/build.log" 2>&1 \
    || die "building scx_simple failed; see $scx_dir/build.log"
  [ -x "$scx_dir/build/bin/scx_simple" ] || die "the scx_simple build left no $scx_dir/build/bin/scx_simple"
  echo "$kernel_version" > "$scx_dir/.complete"
fi
log "ready: kernel source $kernel_version, scx_simple, $(stress-ng --version | head -n1)"

# ---- 4. Jupyter's Java kernel (Rapaio, a JShell kernel from Maven Central) ----------------
rjk_version=3.0.1
rjk_jar="$GAMERLAB_CACHE/jupyter/rapaio-jupyter-kernel-$rjk_version.jar"
if [ ! -f "$rjk_jar" ]; then
  log "fetching the Rapaio Jupyter kernel $rjk_version"
  mvn -q -B dependency:copy -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$rjk_version" \
    -DoutputDirectory="$GAMERLAB_CACHE/jupyter" >&2 || die "could not fetch rapaio-jupyter-kernel $rjk_version from Maven Central"
fi
# The kernel spec lives in this checkout (JUPYTER_PATH points at it), so it names this checkout's
# classes and the JDK found above, never a bare `java`.
kernel_spec="$here/build/jupyter/kernels/gamerlab-java"
mkdir -p "$kernel_spec"
cat > "$kernel_spec/kernel.json" <<JSON
{
  "argv": ["$JAVA_HOME/bin/java", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Djava.awt.headless=true",
           "-Dgamerlab.root=$here", "-jar", "$rjk_jar", "{connection_file}"],
  "display_name": "Java 25 (gamerlab)",
  "language": "java",
  "interrupt_mode": "message",
  "env": {
    "RJK_CLASSPATH": "$here/lib/target/classes;$here/lib/target/jars/*.jar",
    "RJK_COMPILER_OPTIONS": "",
    "RJK_INIT_SCRIPT": "",
    "RJK_TIMEOUT_MILLIS": "-1",
    "RJK_MIMA_CACHE": "mima_cache"
  }
}
JSON
log "ready: Jupyter kernel gamerlab-java in $kernel_spec"

# ---- 5. On request only: Debian's kernel source for BPF selftests built for THIS host ------
# `scripts/setup.sh host-kernel-source` runs everything above, then this, and prints the tree on
# stdout. Only the ring-buffer bench's cross-check with the kernel's own bench_ringbufs asks for it
# (bench/README.md), so a plain setup never downloads it. It takes the newest linux-source-X.Y of
# the private apt tree that is no newer than the running kernel (selftests older than the kernel
# use only what it has) and unpacks the tarball's tools/ and scripts/ under
# $GAMERLAB_CACHE/host-kernel-source/<package version>/.
host_kernel_source() {
  local running best="" best_minor=-1 name ver deb tree
  running=$(uname -r | awk -F. '{print $1 * 1000 + $2}')
  private_update
  for name in $(apt-cache "${apt_private[@]}" search --names-only '^linux-source-[0-9]+\.[0-9]+$' | awk '{print $1}'); do
    local v=${name#linux-source-} key
    key=$(awk -F. '{print $1 * 1000 + $2}' <<<"$v")
    if [ "$key" -le "$running" ] && [ "$key" -gt "$best_minor" ]; then best=$name; best_minor=$key; fi
  done
  [ -n "$best" ] || die "no linux-source-X.Y no newer than the running kernel $(uname -r) in the private apt tree $apt_dir."
  ver=$(apt-cache "${apt_private[@]}" madison "$best" | awk '{print $3; exit}')
  tree="$GAMERLAB_CACHE/host-kernel-source/$ver/${best}"
  if [ ! -f "$tree/.complete" ]; then
    log "fetching $best $ver for the host's BPF selftests"
    (cd "$apt_dir/debs" && apt-get "${apt_private[@]}" download -qq "$best=$ver") || die "could not download $best=$ver"
    deb=$(ls "$apt_dir/debs/${best}_${ver//:/%3a}_"*.deb)
    rm -rf "$tree.partial" && mkdir -p "$tree.partial"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tree.partial" --wildcards './usr/src/*.tar.xz'
    tar -xJf "$tree.partial"/usr/src/*.tar.xz -C "$tree.partial" "$best/tools" "$best/scripts"
    rm -rf "$tree" && mv "$tree.partial/$best" "$tree" && rm -rf "$tree.partial" "$deb"
    echo "$ver" > "$tree/.complete"
  fi
  log "ready: $best $ver under $tree"
  echo "$tree"
}
if [ "${1:-}" = host-kernel-source ]; then host_kernel_source; fi
