/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The getpgid trigger of the host bench programs: every getpgid() of the target process emits one
 * input event, as fentry/input_event does in the scheduler. The host kernel refuses fentry, so the
 * hook is tp_btf/sys_enter, which returns at once for every other syscall and process. The event's
 * value is getpgid's argument, so user space can number its calls and check each arrived.
 * Include it after input_events.bpf.h; the program is input_trigger.
 */
#ifndef GAMER_GETPGID_TRIGGER_BPF_H
#define GAMER_GETPGID_TRIGGER_BPF_H

#define NR_GETPGID	121	/* x86_64 */
#define EV_REL		2

const volatile u32 target_tgid;	/* set from user space before load */

static __always_inline bool in_target_process(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(input_trigger, struct pt_regs *regs, long id)
{
	if (id != NR_GETPGID || !in_target_process())
		return 0;
	gamer_emit_input_event(EV_REL, 0, (s32)regs->di, 0);
	return 0;
}

#endif
