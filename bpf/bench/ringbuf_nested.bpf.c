// SPDX-License-Identifier: GPL-2.0
/*
 * The getpgid trigger (getpgid_trigger.bpf.h) plus producers in interrupts, to drive the nested
 * path of input_events.bpf.h on the host: a hardirq hook (the local APIC timer) and a softirq hook
 * emit an event whenever they interrupt a thread of the target process. When they interrupt the getpgid
 * producer (or the flush timer) inside its critical section, they find the CPU's slot busy and
 * go through the nested queue, as an input_event() from an interrupt handler would in the guest.
 * irq_calls counts the interrupt events emitted, so user space can check each one arrived.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "input_events.bpf.h"
#include "getpgid_trigger.bpf.h"

char _license[] SEC("license") = "GPL";

#define EV_MSC		4

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} irq_calls SEC(".maps");

static __always_inline int from_interrupt(u16 code)
{
	u32 zero = 0;
	u64 *n;

	if (!in_target_process())
		return 0;
	n = bpf_map_lookup_elem(&irq_calls, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);	/* hardirq may interrupt the softirq hook */
	gamer_emit_input_event(EV_MSC, code, 0, 1);
	return 0;
}

SEC("tp_btf/local_timer_entry")
int BPF_PROG(input_trigger_hardirq, int vector)
{
	return from_interrupt(1);
}

SEC("tp_btf/softirq_entry")
int BPF_PROG(input_trigger_softirq, unsigned int vec_nr)
{
	return from_interrupt(2);
}
