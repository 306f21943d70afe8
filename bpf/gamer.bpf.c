/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gamerlab's gaming scheduler, modelled on the scx_gamer design.
 *
 * Every runnable task waits in one shared queue ordered by a deadline:
 *
 *	deadline = vtime + (exec_runtime >> boost_shift[role])
 *
 * vtime advances with the time a task ran, scaled by its weight, so CPU hogs fall behind;
 * exec_runtime is the time used since the task last slept, so a thread that wakes, works
 * briefly and sleeps again (an input handler, a frame loop) gets an early deadline, and a role
 * boost shrinks that term further. A waking task that finds an idle CPU skips the queue.
 *
 * Variant axes (io.gamerlab.sched.Axis defines them; the build without flags is the default):
 *   GAMER_TASKCTX_SPLIT	read-mostly role on its own cache line, apart from the counters
 *			written at every context switch (default: packed in one line)
 *   GAMER_PREFETCH_ON	__builtin_prefetch the task context where it is looked up
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "gamer.h"

char _license[] SEC("license") = "GPL";

#define SHARED_DSQ	0
#define NSEC_PER_MSEC	1000000ULL
#define ENOMEM		12

/* A sched_ext callback is a struct_ops program; sleepable ones may allocate (create a DSQ). */
#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/* Tunables, fixed at load time by user space. */
const volatile u64 slice_ns = 2 * NSEC_PER_MSEC;
/* How much vtime credit a sleeper may bank: a long sleep can't buy unbounded priority. */
const volatile u64 vtime_lag_ns = 20 * NSEC_PER_MSEC;
/* Right shift applied to exec_runtime per role: 7 makes an input handler's term 128x smaller. */
const volatile u8 boost_shift[NR_ROLES] = {
	[ROLE_NONE] = 0, [ROLE_INPUT] = 7, [ROLE_GPU] = 6,
	[ROLE_COMPOSITOR] = 5, [ROLE_AUDIO] = 4, [ROLE_GAME] = 3,
};

/* The latest vtime seen on any CPU: the floor that waking tasks are clamped against. */
static u64 vtime_now;

/* Written at every context switch of the task. */
#define TASK_HOT_FIELDS							\
	u64 vtime;		/* virtual time consumed */			\
	u64 exec_runtime;	/* ns run since the task last became runnable */	\
	u64 last_run_at;	/* when it last started running */

#ifdef GAMER_TASKCTX_SPLIT
/* The role is read on every enqueue, from whichever CPU enqueues: keep it off the line that the
 * running CPU keeps writing, so readers elsewhere don't take that line away from it. */
struct task_ctx {
	struct {
		u32 role;	/* enum gamer_role */
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

/* Roles declared by user space, keyed by thread id: workloads can name their threads' roles on
 * machines that have no GPU or input device to detect them from. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, s32);
	__type(value, u32);
} task_roles SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct gamer_stats);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct gamer_exit);
} exit_report SEC(".maps");

_Static_assert(sizeof(struct gamer_stats) == CACHELINE_SIZE, "gamer_stats must fill one cache line");

static struct gamer_stats *this_cpu_stats(void)
{
	u32 zero = 0;

	return bpf_map_lookup_elem(&stats, &zero);
}

/* Per-CPU counters need no atomics: only this CPU writes its copy. */
#define STAT_ADD(field, n)					\
	do {							\
		struct gamer_stats *__s = this_cpu_stats();	\
		if (__s)					\
			__s->field += (n);			\
	} while (0)

static struct task_ctx *lookup_task_ctx(struct task_struct *p)
{
	struct task_ctx *tctx = bpf_task_storage_get(&task_ctxs, p, 0, 0);

#ifdef GAMER_PREFETCH_ON
	/* The seed's proposal 2.2. Whether clang's BPF backend emits anything for it is measured:
	 * compare the programs' instruction counts across prefetch=off and prefetch=on. */
	if (tctx)
		__builtin_prefetch(tctx, 0, 1);
#endif
	return tctx;
}

static u32 role_of(struct task_struct *p, struct task_ctx *tctx)
{
	s32 tid = p->pid;
	u32 *role = bpf_map_lookup_elem(&task_roles, &tid);

	/* The map wins, so user space can (re)declare a role at any time. */
	if (role && *role < NR_ROLES)
		tctx->role = *role;
	return tctx->role;
}

static u64 task_deadline(struct task_struct *p, struct task_ctx *tctx)
{
	u32 role = role_of(p, tctx);
	u8 shift = role < NR_ROLES ? boost_shift[role] : 0;

	/* Clamp the banked credit so a task that slept for seconds doesn't starve everyone. */
	if ((s64)(tctx->vtime - (vtime_now - vtime_lag_ns)) < 0)
		tctx->vtime = vtime_now - vtime_lag_ns;
	return tctx->vtime + (tctx->exec_runtime >> shift);
}

s32 BPF_STRUCT_OPS(gamer_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu;

	/* The default picker prefers prev_cpu and fully idle cores: cache-warm and no SMT sibling. */
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_ns, 0);
		STAT_ADD(direct_idle, 1);
	}
	return cpu;
}

void BPF_STRUCT_OPS(gamer_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx = lookup_task_ctx(p);
	s32 cpu;

	if (!tctx) {
		scx_bpf_dsq_insert(p, SHARED_DSQ, slice_ns, enq_flags);
		return;
	}
	scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, slice_ns, task_deadline(p, tctx), enq_flags);
	STAT_ADD(enqueued, 1);

	/* A CPU may have gone idle after select_cpu looked: wake one so the task doesn't wait. */
	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu >= 0) {
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
		STAT_ADD(kicked, 1);
	}
}

void BPF_STRUCT_OPS(gamer_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scx_bpf_dsq_move_to_local(SHARED_DSQ))
		STAT_ADD(dispatched, 1);
}

void BPF_STRUCT_OPS(gamer_runnable, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx = lookup_task_ctx(p);

	/* A new burst of work begins: the runtime since the last sleep starts again from zero. */
	if (tctx)
		tctx->exec_runtime = 0;
}

void BPF_STRUCT_OPS(gamer_running, struct task_struct *p)
{
	struct task_ctx *tctx = lookup_task_ctx(p);

	if (!tctx)
		return;
	tctx->last_run_at = bpf_ktime_get_ns();
	if ((s64)(tctx->vtime - vtime_now) > 0)
		vtime_now = tctx->vtime;
	STAT_ADD(started, 1);
	if (tctx->role < NR_ROLES && boost_shift[tctx->role])
		STAT_ADD(boosted, 1);
}

void BPF_STRUCT_OPS(gamer_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *tctx = lookup_task_ctx(p);
	u64 ran;

	if (!tctx)
		return;
	ran = bpf_ktime_get_ns() - tctx->last_run_at;
	tctx->exec_runtime += ran;
	/* Weight 100 is nice 0: heavier tasks' virtual time advances more slowly. */
	tctx->vtime += ran * 100 / p->scx.weight;
	STAT_ADD(runtime_ns, ran);
}

void BPF_STRUCT_OPS(gamer_enable, struct task_struct *p)
{
	struct task_ctx *tctx = lookup_task_ctx(p);

	/* Start new tasks at the current time: no inherited debt, no unearned credit. */
	if (tctx)
		tctx->vtime = vtime_now;
}

s32 BPF_STRUCT_OPS(gamer_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	if (!bpf_task_storage_get(&task_ctxs, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE))
		return -ENOMEM;
	return 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(gamer_init)
{
	return scx_bpf_create_dsq(SHARED_DSQ, -1);
}

void BPF_STRUCT_OPS(gamer_exit, struct scx_exit_info *ei)
{
	u32 zero = 0;
	struct gamer_exit *out = bpf_map_lookup_elem(&exit_report, &zero);

	/* Keep the kernel's reason so user space can tell an unload from a watchdog ejection. */
	if (!out)
		return;
	out->kind = ei->kind;
	out->cpu = ei->exit_cpu;
	out->code = ei->exit_code;
	bpf_probe_read_kernel_str(out->reason, sizeof(out->reason), ei->reason);
	bpf_probe_read_kernel_str(out->msg, sizeof(out->msg), ei->msg);
}

SEC(".struct_ops.link")
struct sched_ext_ops gamer_ops = {
	.select_cpu	= (void *)gamer_select_cpu,
	.enqueue	= (void *)gamer_enqueue,
	.dispatch	= (void *)gamer_dispatch,
	.runnable	= (void *)gamer_runnable,
	.running	= (void *)gamer_running,
	.stopping	= (void *)gamer_stopping,
	.enable		= (void *)gamer_enable,
	.init_task	= (void *)gamer_init_task,
	.init		= (void *)gamer_init,
	.exit		= (void *)gamer_exit,
	.name		= "gamerlab",
};
