/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scheduler's per-task context and its task storage, in one place for gamer.bpf.c and for the
 * host bench bench/taskctx_sharing.bpf.c, which measures the two layouts (seed proposal 5):
 *   packed (default)	role, declared and stage beside the counters, one 64-byte struct
 *   GAMER_TASKCTX_SPLIT	role, declared and stage in one 64-byte-aligned sub-struct, the
 *			counters in the next
 * The alignment is what the compiler assumes. BPF local storage places the value after its own
 * header, and the kernel does not promise that the value starts on a cache line: the bench reports
 * where it does start. Include after vmlinux.h and bpf_helpers.h.
 */
#ifndef GAMER_TASK_CTX_H
#define GAMER_TASK_CTX_H

#include "gamer.h"

/* Written at every context switch of the task. */
#define TASK_HOT_FIELDS							\
	u64 vtime;		/* virtual time consumed */			\
	u64 exec_runtime;	/* ns run since the task last became runnable */	\
	u64 last_run_at;	/* when it last started running */		\
	u64 mig_window_start;	/* start of the current migration window */	\
	u64 woken_at;		/* when it last became runnable, 0 once running */	\
	u32 mig_count;		/* migrations in that window */			\
	u32 boost_once;		/* set by the previous pipeline stage's wake-up */

#ifdef GAMER_TASKCTX_SPLIT
/* The role is read on every enqueue, from whichever CPU enqueues: keep it off the line that the
 * running CPU keeps writing, so readers elsewhere don't take that line away from it. */
struct task_ctx {
	struct {
		u32 role;	/* enum gamer_role */
		u32 declared;	/* the role came from user space: final, even ROLE_NONE */
		u32 stage;	/* pipeline stage, 0 = none */
	} __attribute__((aligned(CACHELINE_SIZE)));
	struct {
		TASK_HOT_FIELDS
	} __attribute__((aligned(CACHELINE_SIZE)));
} __attribute__((aligned(CACHELINE_SIZE)));
_Static_assert(sizeof(struct task_ctx) == 2 * CACHELINE_SIZE, "split task_ctx must be two cache lines");
#else
/* Classification beside the counters: one cache line, as scx_gamer laid it out. */
struct task_ctx {
	u32 role;		/* enum gamer_role */
	u32 declared;		/* the role came from user space: final, even ROLE_NONE */
	u32 stage;		/* pipeline stage, 0 = none */
	TASK_HOT_FIELDS
} __attribute__((aligned(CACHELINE_SIZE)));
_Static_assert(sizeof(struct task_ctx) == CACHELINE_SIZE, "packed task_ctx must fill one cache line");
#endif

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

#endif /* GAMER_TASK_CTX_H */
