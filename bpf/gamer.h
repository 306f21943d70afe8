/* SPDX-License-Identifier: GPL-2.0 */
/* Types shared by the scheduler and its user space. The Java side reads field names and offsets
 * from the object's BTF, so a counter added here shows up in every results table by itself. */
#ifndef __GAMER_H
#define __GAMER_H

#define CACHELINE_SIZE 64

/* Roles a thread can have. User space may declare one through the task_roles map. */
enum gamer_role {
	ROLE_NONE	= 0,
	ROLE_INPUT	= 1,	/* consumes input events */
	ROLE_GPU	= 2,	/* submits GPU work */
	ROLE_COMPOSITOR	= 3,
	ROLE_AUDIO	= 4,
	ROLE_GAME	= 5,	/* the foreground game's threads */
	NR_ROLES,
};

/* Per-CPU scheduler statistics, combined over CPUs by the Java side: a field named max_* is a
 * maximum (the largest CPU's value), every other field a counter (the sum). */
struct gamer_stats {
	u64 enqueued;		/* tasks queued on the shared deadline queue */
	u64 direct_idle;	/* wake-ups sent straight to an idle CPU */
	u64 dispatched;		/* tasks moved from the shared queue to a CPU */
	u64 kicked;		/* idle CPUs woken for queued work */
	u64 started;		/* times a task started running */
	u64 boosted;		/* starts of tasks with a role boost */
	u64 runtime_ns;		/* time tasks ran under this scheduler */
	u64 starvation_capped;	/* deadlines cut back so a task cannot starve */
	u64 migrations;		/* wake-ups placed on another CPU than the last */
	u64 migrations_denied;	/* ... with no migration tokens left (kept on the last CPU if it may run there) */
	u64 affinity_moves;	/* wake-ups whose affinity no longer allows the last CPU: they move */
	u64 input_events;	/* input_event() calls seen by the hook */
	u64 mouse_events;	/* ... of them from a mouse (motion, buttons): window mouse_boost_ns */
	u64 keyboard_events;	/* ... keyboard keys: window keyboard_boost_ns */
	u64 input_preempts;	/* CPUs kicked so an input handler runs at once (in an input window) */
	u64 boost_preempts;	/* ... so another boosted thread runs at once */
	u64 classified;		/* threads given a role by a kernel hook */
	u64 pipeline_boosts;	/* wake-ups of the next pipeline stage boosted */
	u64 input_wait_ns;	/* wake-up to running, summed over input handlers' wake-ups */
	u64 input_waits;	/* ... and how many such wake-ups */
	u64 game_wait_ns;	/* the same for the foreground game's threads without a role of their own */
	u64 game_waits;
	u64 other_wait_ns;	/* the same for threads with no role, outside the game */
	u64 other_waits;
	u64 max_input_wait_ns;	/* the longest single wake-up-to-running wait of an input handler */
	u64 max_game_wait_ns;	/* ... of a game thread without a role of its own */
	u64 max_other_wait_ns;	/* ... of a thread with no role, outside the game */
	u64 input_waits_over_slice;	/* wake-ups of input handlers that waited a whole slice or more */
	u64 game_waits_over_slice;	/* ... of game threads */
	u64 other_waits_over_slice;	/* ... of threads with no role */
	u64 no_task_ctx;	/* enqueues of a task without a task context */
	u64 slice_refills;	/* slices refilled in dispatch: nothing else queued, the task runs on */
	u64 task_ctxs_released;	/* task contexts released as their tasks left (exit_task) */
	u64 cpu_releases;	/* times a higher scheduling class took a CPU from us */
	u64 reenqueued;		/* ... and tasks sent back through enqueue from its local queue */
	u64 foreground_changes;	/* times the detected foreground game changed */
} __attribute__((aligned(CACHELINE_SIZE)));

/* What each CPU is running, for choosing a CPU to preempt; written only by its own CPU. */
struct cpu_ctx {
	u32 running_role;	/* enum gamer_role of the current task, ROLE_NONE when none of ours */
	u32 running_boosted;	/* non-zero while a boosted task of ours runs here */
} __attribute__((aligned(CACHELINE_SIZE)));

/* Why the scheduler stopped, copied from the kernel's exit info so user space can report it. */
struct gamer_exit {
	s32 kind;		/* enum scx_exit_kind; 0 while running */
	s32 cpu;
	s64 code;
	char reason[128];
	char msg[256];
};

#endif /* __GAMER_H */
