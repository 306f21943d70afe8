#!/usr/bin/env bash
# Builds the kernel's own ring-buffer benchmark (bench_ringbufs of the BPF selftests) for THIS host
# and prints the path of its `bench` binary; RingbufBench runs it (phase kernel) as the cross-check
# of our ring-buffer numbers. The source is Debian's linux-source package that
# `scripts/setup.sh host-kernel-source` fetches on first use. Built once per source version and
# version of this script, under build/kernel-ringbufs/.
#
# What differs from the selftests' own build, and why:
#  - the BPF programs (progs/ringbuf_bench.c, progs/perfbuf_bench.c) hook tp_btf/sys_enter and
#    return at once unless the syscall is getpgid, instead of fentry on __x64_sys_getpgid: this
#    host refuses fentry (EPERM). Every syscall on the machine then runs the early return.
#  - only the ring-buffer benches are linked: bench.c's tables keep the rb-*/pb-* entries, so the
#    other benches' programs (kprobes, uprobes, fentry, crypto, ...) need not be built;
#    parse_num_list (the one testing_helpers.c function bench.c uses) is compiled alone.
#  - libbpf and bpftool are gamerlab's (bookworm-backports 1.4 / 7.5 in $GAMERLAB_CACHE/tools);
#    clang-19 compiles both the BPF and the user-space code.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/scripts/env.sh"
log() { printf '[kernel-ringbuf-bench] %s\n' "$*" >&2; }
die() { printf '[kernel-ringbuf-bench] ERROR: %s\n' "$*" >&2; exit 1; }

tree=$(bash "$here/scripts/setup.sh" host-kernel-source | tail -n1)
[ -d "$tree/tools/testing/selftests/bpf" ] || die "no selftests under $tree"
version=$(cat "$tree/.complete")
key=$(printf '%s %s' "$version" "$(sha256sum "$0" | cut -c1-16)" | sha256sum | cut -c1-16)
out="$here/build/kernel-ringbufs/$key"
if [ -x "$out/bench" ]; then echo "$out/bench"; exit 0; fi

tools="$GAMERLAB_CACHE/tools/usr"
bpftool="$tools/sbin/bpftool"
sel="$tree/tools/testing/selftests/bpf"
work="$out.$$.partial"
rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
log "building bench_ringbufs from $(basename "$tree") $version"

# 1. The BPF programs, hooked on tp_btf/sys_enter (getpgid only). Like the selftests' Makefile, the
# host compiler's system include directories come last (for <stdint.h>; __x86_64__ so that glibc picks
# its 64-bit stubs).
sys_includes=()
while read -r dir; do sys_includes+=(-idirafter "$dir"); done < <(clang-19 -v -E - </dev/null 2>&1 \
  | sed -n '/<...> search starts here:/,/End of search list./{ s|^ \(/.*\)|\1|p }')
for prog in ringbuf_bench perfbuf_bench; do
  fn=${prog/_bench/}   # ringbuf, perfbuf
  sed -e 's|^SEC("fentry/" SYS_PREFIX "sys_getpgid")$|SEC("tp_btf/sys_enter")|' \
      -e "/^int bench_$fn(void \*ctx)\$/{n;s|^{\$|{\n\t/* tp_btf/sys_enter: ctx[1] is the syscall number; only getpgid (121) */\n\tif (((unsigned long long *)ctx)[1] != 121)\n\t\treturn 0;|}" \
      "$sel/progs/$prog.c" > "$work/$prog.c"
  grep -q 'SEC("tp_btf/sys_enter")' "$work/$prog.c" && grep -q '!= 121' "$work/$prog.c" \
    || die "progs/$prog.c in $version no longer has the fentry hook this script rewrites (SEC(\"fentry/\" SYS_PREFIX \"sys_getpgid\") then int bench_$fn(void *ctx))"
  clang-19 -O2 -g -target bpf -D__TARGET_ARCH_x86 -D__x86_64__ -I"$tree/tools/include/uapi" -I"$tools/include" -I"$sel/progs" "${sys_includes[@]}" \
    -c "$work/$prog.c" -o "$work/$prog.bpf.o"
  "$bpftool" gen skeleton "$work/$prog.bpf.o" name "$prog" > "$work/$prog.skel.h"
done

# 2. bench.c with only the ring-buffer benches in its tables.
python3 - "$sel/bench.c" "$work/bench.c" <<'PY'
import re, sys
keep = {"bench_ringbufs_argp", "bench_rb_libbpf", "bench_rb_custom", "bench_pb_libbpf", "bench_pb_custom"}
src = open(sys.argv[1]).read()
out, skip_continuation, dropped = [], False, 0
for line in src.split("\n"):
    if skip_continuation:
        skip_continuation = not line.rstrip().endswith("},")
        continue
    m = re.match(r"\s*(?:extern (?:const )?struct (?:argp|bench) (bench_\w+);|&(bench_\w+),|\{ &(bench_\w+_argp),)", line)
    name = m and next(g for g in m.groups() if g)
    if name and name not in keep:
        dropped += 1
        skip_continuation = line.lstrip().startswith("{ &") and not line.rstrip().endswith("},")
        continue
    out.append(line)
if dropped < 20:
    sys.exit("bench.c: expected to drop the other benches' entries, dropped only %d lines" % dropped)
open(sys.argv[2], "w").write("\n".join(out))
PY
{
  printf '#include <errno.h>\n#include <stdbool.h>\n#include <stdlib.h>\n'
  awk '/^int parse_num_list\(/ {p=1} p {print} p && /^}/ {exit}' "$sel/testing_helpers.c"
} > "$work/num_list.c"
grep -q '^int parse_num_list' "$work/num_list.c" || die "testing_helpers.c in $version has no parse_num_list"

# 3. User space, linked against gamerlab's libbpf.
cflags=(-O2 -g -Wno-unused-command-line-argument -I"$work" -I"$sel" -I"$tree/tools/include" -I"$tree/tools/arch/x86/include" -I"$tools/include")
for c in "$work/bench.c" "$sel/benchs/bench_ringbufs.c" "$work/num_list.c"; do
  clang-19 "${cflags[@]}" -c "$c" -o "$work/$(basename "$c" .c).o"
done
libdir="$tools/lib/x86_64-linux-gnu"
clang-19 -o "$work/bench" "$work"/bench.o "$work"/bench_ringbufs.o "$work"/num_list.o \
  -L"$libdir" -l:libbpf.so.1 -Wl,-rpath,"$libdir" -lpthread -lm
"$work/bench" --list >/dev/null 2>&1 || true
mkdir -p "$(dirname "$out")"
rm -rf "$out"; mv "$work" "$out"
trap - EXIT
log "ready: $out/bench"
echo "$out/bench"
