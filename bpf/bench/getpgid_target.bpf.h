/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the host bench programs hook: getpgid() calls of one process (the bench's JVM). The host
 * kernel refuses fentry, so they hook tp_btf/sys_enter, which runs for every syscall of every
 * process; this is their early return.
 */
#ifndef GAMER_GETPGID_TARGET_BPF_H
#define GAMER_GETPGID_TARGET_BPF_H

#define NR_GETPGID	121	/* x86_64 */

const volatile u32 target_tgid;	/* set from user space before load */

static __always_inline bool in_target_process(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

/* The current thread is thread tid of the target process. */
static __always_inline bool in_target_thread(u32 tid)
{
	u64 id = bpf_get_current_pid_tgid();

	return (u32)id == tid && (id >> 32) == target_tgid;
}

#endif
