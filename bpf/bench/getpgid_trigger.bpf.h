/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The getpgid trigger of the host bench programs: every getpgid() of the target process emits
 * input events, as fentry/input_event does in the scheduler (getpgid_target.bpf.h says why the
 * hook is tp_btf/sys_enter). An event's value is getpgid's argument, so user space can number its
 * calls and check each arrived. Two programs; user space attaches one:
 *  - input_trigger: one event per call;
 *  - input_trigger_burst: trigger_burst events per call, the i-th with code i, each through the
 *    same gamer_emit_input_event() (stamped, numbered and staged one by one). A burst lets the
 *    producer outrun the ring: one syscall costs more than one event, so with one event per call
 *    the syscall, not the ring, limits the rate (the kernel's ring-buffer bench has a batch count
 *    for the same reason). bpf_loop runs the emits, so every burst size, 1 included, has the same
 *    per-event path.
 * Include it after input_events.bpf.h.
 */
#ifndef GAMER_GETPGID_TRIGGER_BPF_H
#define GAMER_GETPGID_TRIGGER_BPF_H

#include "getpgid_target.bpf.h"

#define EV_REL		2
#define GAMER_TRIGGER_MAX_BURST	65535	/* codes are u16 */

/* Events per getpgid for input_trigger_burst; set from user space before load. */
const volatile u32 trigger_burst = 1;

SEC("tp_btf/sys_enter")
int BPF_PROG(input_trigger, struct pt_regs *regs, long id)
{
	if (id != NR_GETPGID || !in_target_process())
		return 0;
	gamer_emit_input_event(EV_REL, 0, (s32)regs->di, 0);
	return 0;
}

static long trigger_emit_one(u64 index, void *value)
{
	gamer_emit_input_event(EV_REL, (u16)index, *(s32 *)value, 0);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(input_trigger_burst, struct pt_regs *regs, long id)
{
	s32 value;

	if (id != NR_GETPGID || !in_target_process())
		return 0;
	value = (s32)regs->di;
	bpf_loop(trigger_burst < GAMER_TRIGGER_MAX_BURST ? trigger_burst : GAMER_TRIGGER_MAX_BURST, trigger_emit_one, &value, 0);
	return 0;
}

#endif
