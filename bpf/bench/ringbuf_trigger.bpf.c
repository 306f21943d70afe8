// SPDX-License-Identifier: GPL-2.0
/*
 * Host-kernel trigger for the input-event path (input_events.bpf.h): every getpgid() of the
 * target process emits one event, as fentry/input_event does in the scheduler. The host kernel
 * refuses fentry, so the hook is tp_btf/sys_enter, which returns at once for every other
 * syscall and process. The event's value is getpgid's argument, so user space can number its
 * calls and check each arrived. Built per variant: make -C bpf bench-variant (see the Makefile).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "input_events.bpf.h"

char _license[] SEC("license") = "GPL";

#define NR_GETPGID	121	/* x86_64 */
#define EV_REL		2

const volatile u32 target_tgid;	/* set from user space before load */

SEC("tp_btf/sys_enter")
int BPF_PROG(input_trigger, struct pt_regs *regs, long id)
{
	if (id != NR_GETPGID || (bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	gamer_emit_input_event(EV_REL, 0, (s32)regs->di, 0);
	return 0;
}
