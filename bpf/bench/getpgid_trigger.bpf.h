/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The getpgid trigger of the host bench programs: every getpgid() of the target process emits one
 * input event, as fentry/input_event does in the scheduler (getpgid_target.bpf.h says why the hook
 * is tp_btf/sys_enter). The event's value is getpgid's argument, so user space can number its calls
 * and check each arrived.
 * Include it after input_events.bpf.h; the program is input_trigger.
 */
#ifndef GAMER_GETPGID_TRIGGER_BPF_H
#define GAMER_GETPGID_TRIGGER_BPF_H

#include "getpgid_target.bpf.h"

#define EV_REL		2

SEC("tp_btf/sys_enter")
int BPF_PROG(input_trigger, struct pt_regs *regs, long id)
{
	if (id != NR_GETPGID || !in_target_process())
		return 0;
	gamer_emit_input_event(EV_REL, 0, (s32)regs->di, 0);
	return 0;
}

#endif
