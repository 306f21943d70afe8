// SPDX-License-Identifier: GPL-2.0
/*
 * Host-kernel trigger for the input-event path (input_events.bpf.h): the getpgid trigger of
 * getpgid_trigger.bpf.h and nothing else. Built per variant: make -C bpf bench-variant (see the
 * Makefile).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "input_events.bpf.h"
#include "getpgid_trigger.bpf.h"

char _license[] SEC("license") = "GPL";
