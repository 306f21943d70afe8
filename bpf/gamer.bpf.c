/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gamerlab's gaming scheduler, modelled on the scx_gamer design.
 *
 * Every runnable task waits in one shared queue ordered by a deadline:
 *
 *	deadline = vtime + min(exec_runtime >> boost_shift[role], starvation_ns)
 *
 * vtime advances with the time a task ran, scaled by its weight, so CPU hogs fall behind;
 * exec_runtime is the time used since the task last slept, so a thread that wakes, works
 * briefly and sleeps again (an input handler, a frame loop) gets an early deadline, and a role
 * boost shrinks that term further. Both terms are bounded: vtime at most vtime_lag_ns behind the
 * newest vtime (a sleeper's banked credit) and, after a run, at most that run scaled by weight
 * ahead of it; the runtime term by starvation_ns. So for a task of default weight no deadline lies
 * more than one slice plus starvation_ns ahead of the newest vtime: that bound is the starvation
 * rescue. (A low-weight task's vtime runs ahead faster: that is its smaller share, as in CFS.)
 *
 * Slices and preemption. A task runs for slice_ns, never longer unchecked: when its slice ends
 * and nothing is queued, dispatch refills it with slice_ns (the kernel would otherwise keep it
 * running with its own default, SCX_SLICE_DFL, 20 ms). A boosted thread that wakes while no CPU
 * is idle takes a CPU from unboosted work at once instead of waiting for a slice to end: it goes
 * to the head of that CPU's local queue, preempting it (SCX_ENQ_PREEMPT), ahead of the shared
 * queue. An input handler does so only in an input window (see below), which is what the window
 * tunables control: input handlers wake at their devices' rates (1 kHz for a mouse), and the
 * window ties their preemptions to input actually arriving. Preemption at wake-up was chosen over
 * ops.tick, which would look at every CPU on every tick and still wait up to a tick (4 ms at
 * HZ=250, longer than the default slice), and over shorter slices for everyone, which would cost
 * every hog a context switch per slice.
 *
 * Roles come from kernel hooks (fentry on input, DRM and sound paths; a hook whose function this
 * kernel lacks is skipped by the loader) or from user space through the task_roles map. The
 * foreground game is a process, detected from the same hooks (see note_game_evidence): its
 * threads without a role of their own get the game's boost.
 * An input event opens an input window (how long depends on the device: mouse, keyboard, other),
 * during which a waking input handler preempts a CPU that runs unboosted work (or, if every CPU
 * runs boosted work, goes to the front of the queue).
 *
 * Shared state written from several CPUs, and why each is safe: per-CPU statistics and cpu_ctx
 * have one writer each (its CPU); a task's context is written by callbacks that the kernel
 * serialises under the task's runqueue lock, and by hooks on the task itself; the globals are
 * discussed where they are declared.
 *
 * Kernel: Linux >= 6.13 (the scx_bpf_dsq_insert* and scx_bpf_dsq_move_to_local kfunc names;
 * io.gamerlab.sched.Scheduler checks for them before loading).
 *
 * Variant axes (io.gamerlab.sched.Axis defines them; the build without flags is the default):
 *   GAMER_TASKCTX_SPLIT	read-mostly role on its own cache line, apart from the counters
 *			written at every context switch (default: packed in one line): see
 *			task_ctx.h
 *   GAMER_PREFETCH_ON	__builtin_prefetch where task and CPU contexts are looked up
 *   GAMER_PIPELINE_ON	a registered pipeline stage that wakes the next stage boosts it
 *   GAMER_RINGBUF_*, GAMER_BATCH_*	the input-event path's ring layout and batching: see
 *			input_events.bpf.h
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "gamer.h"
#include "input_events.bpf.h"
#include "task_ctx.h"

char _license[] SEC("license") = "GPL";

#define SHARED_DSQ	0
#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define ENOMEM		12
#define MAX_CPUS	512
#define PREEMPT_SCAN	8	/* CPUs looked at for one to preempt */
/* The kernel's watchdog ejects the scheduler when a runnable task has not run for this long. 20 s
 * is four times the longest starvation bound the tunables allow (5 s) and below the kernel's own
 * bound for a scheduler that sets none (30 s), so a stalled task is still caught within a run.
 * Not 10 s: an emulated guest on a busy host stops as a whole now and then, and every task looks
 * stalled by as long when it resumes (10.3 s seen for khugepaged, with the host's CPUs busy). */
#define WATCHDOG_TIMEOUT_MS 20000

/* A sched_ext callback is a struct_ops program; sleepable ones may allocate (create a DSQ). */
#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

#ifdef GAMER_PREFETCH_ON
#define PREFETCH(addr, rw, locality) __builtin_prefetch(addr, rw, locality)
#else
#define PREFETCH(addr, rw, locality) do { } while (0)
#endif

/*
 * Tunables (io.gamerlab.sched.Tunable says each one's range). Those a running scheduler takes new
 * values of are plain globals in .data: user space writes each with one aligned store, so a
 * callback reads either the old or the new value, never a mix, and reads each once (TUNABLE) so
 * one decision uses one value. Two tunables may come from different writes for a moment; user
 * space orders its stores so that slice_ns < starvation_ns holds throughout.
 */
#define TUNABLE(x) (*(volatile typeof(x) *)&(x))
u64 slice_ns = 2 * NSEC_PER_MSEC;
/* How much vtime credit a sleeper may bank: a long sleep can't buy unbounded priority. */
u64 vtime_lag_ns = 20 * NSEC_PER_MSEC;
/* The most a deadline may lie ahead of now: the bound on how long any task can be passed over. */
u64 starvation_ns = 500 * NSEC_PER_MSEC;
/* How long after an input event input handlers may preempt other work: after mouse events
 * (motion, buttons), keyboard keys, and any other input (gamepads, ...). A mouse reports at 125 Hz
 * or faster, so 8 ms keeps the window open through a continuous motion; a key press is rarer and
 * starts more game work (an action, a menu), so its window is longer. */
u64 mouse_boost_ns = 8 * NSEC_PER_MSEC;
u64 keyboard_boost_ns = 20 * NSEC_PER_MSEC;
u64 input_window_ns = 5 * NSEC_PER_MSEC;
/* Migration limiting: at most migration_limit moves per task in each migration_window_ns. */
u64 migration_window_ns = 50 * NSEC_PER_MSEC;
u32 migration_limit = 4;
/* Detection compares processes over windows this long: the game can change at most once per window. */
u64 foreground_window_ns = 1000 * NSEC_PER_MSEC;

/* Fixed at load (.rodata), so the verifier sees constants. Prefer a CPU whose SMT sibling is idle
 * too, so a game thread doesn't share a core. */
const volatile bool avoid_smt = true;
/* The foreground game fixed by process id, or 0: detect it (note_game_evidence). */
const volatile u32 game_pid = 0;
/* Right shift applied to exec_runtime per role: 7 makes an input handler's term 128x smaller. */
const volatile u8 boost_shift[NR_ROLES] = {
	[ROLE_NONE] = 0, [ROLE_INPUT] = 7, [ROLE_GPU] = 6,
	[ROLE_COMPOSITOR] = 5, [ROLE_AUDIO] = 4, [ROLE_GAME] = 3,
};

/* The latest vtime seen on any CPU: the floor that waking tasks are clamped against. Written at
 * every task start on any CPU with a plain load and store, a race kept on purpose: two CPUs may
 * each see their task's vtime as the newer and the smaller store may land last, leaving vtime_now
 * behind the true maximum by at most the spread of two running tasks' vtimes (about a slice),
 * until the next task start raises it. A lower floor only gives a waking task that much more
 * credit, bounded and transient; a compare-and-swap loop at every context switch would cost every
 * switch an atomic on this shared line to prevent it. */
static u64 vtime_now;
/* Until when the current input window is open (bpf_ktime_get_ns time). Only ever extended, with
 * a compare-and-swap: input events arrive on any CPU, and a plain store could let a mouse event's
 * short window overwrite a keyboard event's longer one. */
static u64 input_until;
/* The foreground game's process id, 0 while there is none. Read at every enqueue, written only
 * when the game changes (see note_game_evidence), with a compare-and-swap where two CPUs could
 * both decide (64 bits wide: BPF's compare-and-swap is 64-bit without alu32); user space reads it
 * as well. */
u64 game_tgid;

/* Detection state, written at each piece of evidence: on its own cache line, away from the
 * variables above that every enqueue reads. */
static struct {
	u64 window_start;
	u64 rival;		/* the first other process with evidence in this window (64 bits: claimed
				 * with a compare-and-swap) */
	u32 game_events;	/* evidence from game_tgid in this window */
	u32 rival_events;
	u32 compositor;		/* the compositor's process: never the game */
} __attribute__((aligned(CACHELINE_SIZE))) foreground;

/* Roles declared by user space, keyed by thread id: workloads can name their threads' roles on
 * machines that have no GPU or input device to detect them from. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, s32);
	__type(value, u32);
} task_roles SEC(".maps");

/* Pipeline stages declared by user space (1 = first), keyed by thread id. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, s32);
	__type(value, u32);
} task_stages SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_CPUS);
	__type(key, u32);
	__type(value, struct cpu_ctx);
} cpu_ctxs SEC(".maps");

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

_Static_assert(sizeof(struct gamer_stats) % CACHELINE_SIZE == 0, "gamer_stats must fill whole cache lines");
_Static_assert(sizeof(struct cpu_ctx) == CACHELINE_SIZE, "cpu_ctx must fill one cache line");

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

#ifdef GAMER_FAULT_LOSE_TASK_CTX
	/* Fault build (io.gamerlab.sched.Fault): odd threads' contexts seem absent. */
	if (p->pid & 1)
		return NULL;
#endif

	/* Seed proposal 2.2: start the load early. Whether clang's BPF backend emits anything for
	 * it is measured: compare the programs' instruction counts across prefetch=off and on. */
	if (tctx)
		PREFETCH(tctx, 0, 1);
	return tctx;
}

static struct cpu_ctx *lookup_cpu_ctx(s32 cpu)
{
	u32 key = cpu;

	return bpf_map_lookup_elem(&cpu_ctxs, &key);
}

/* A thread without a role of its own, detected or declared, takes the game's when its process
 * is the foreground game. Computed, never stored: the game changes, and the task context's role
 * stays read-mostly. */
static u32 effective_role(struct task_struct *p, struct task_ctx *tctx)
{
	if (tctx->role == ROLE_NONE && !tctx->declared && game_tgid && p->tgid == game_tgid)
		return ROLE_GAME;
	return tctx->role;
}

/* A task's role boosts it, and so does a pipeline hand-over for the wake-up it came with. */
static bool is_boosted(u32 role, struct task_ctx *tctx)
{
	return (role < NR_ROLES && boost_shift[role]) || tctx->boost_once;
}

/*
 * Takes the role user space declared for the task, at each wake-up: every wake-up passes through
 * runnable, whether select_cpu then sends the task straight to an idle CPU or it is queued, so a
 * declared role counts from the first wake-up after the declaration. The map wins, so user space
 * can (re)declare a role at any time. Written only when it changes: a store, even of the same
 * value, would take the read-mostly line from other CPUs.
 */
static void apply_declared_role(struct task_struct *p, struct task_ctx *tctx)
{
	s32 tid = p->pid;
	u32 *role = bpf_map_lookup_elem(&task_roles, &tid);

	if (role && *role < NR_ROLES && (tctx->role != *role || !tctx->declared)) {
		tctx->role = *role;
		tctx->declared = 1;
	}
}

#ifdef GAMER_PIPELINE_ON
static u32 stage_of(struct task_struct *p, struct task_ctx *tctx)
{
	s32 tid = p->pid;
	u32 *stage = bpf_map_lookup_elem(&task_stages, &tid);

	/* Threads declare their stage after they start, so the map is read at each wake-up; the
	 * read-mostly line is written only when the stage changes (a store at every wake-up would
	 * undo what taskctx=split keeps apart). */
	if (stage && tctx->stage != *stage)
		tctx->stage = *stage;
	return tctx->stage;
}
#endif

static bool input_window_open(void)
{
	return bpf_ktime_get_ns() < input_until;
}

static u64 task_deadline(struct task_ctx *tctx, u32 role)
{
	u8 shift = role < NR_ROLES ? boost_shift[role] : 0;
	u64 floor = vtime_now - TUNABLE(vtime_lag_ns), starvation = TUNABLE(starvation_ns);
	u64 runtime_term;

	/* Clamp the banked credit so a task that slept for seconds doesn't starve everyone. */
	if ((s64)(tctx->vtime - floor) < 0)
		tctx->vtime = floor;
	/* In an input window an input handler that could not take a CPU at once (all run boosted
	 * work) goes to the front of the queue. */
	if (role == ROLE_INPUT && input_window_open())
		return floor;
	/* The previous pipeline stage just finished: run this stage as an input handler would (for
	 * this wake-up only: running clears it). */
	if (tctx->boost_once)
		shift = boost_shift[ROLE_INPUT];
	runtime_term = tctx->exec_runtime >> shift;
	if (runtime_term > starvation) {
		runtime_term = starvation;
		STAT_ADD(starvation_capped, 1);
	}
	return tctx->vtime + runtime_term;
}

/* True when the task has used this window's migrations; opens a new window when it expired. */
static bool migrations_exhausted(struct task_ctx *tctx)
{
	u64 now = bpf_ktime_get_ns();

	if (now - tctx->mig_window_start > TUNABLE(migration_window_ns)) {
		tctx->mig_window_start = now;
		tctx->mig_count = 0;
	}
	return tctx->mig_count >= TUNABLE(migration_limit);
}

/* Claims a CPU whose whole core is idle, prev_cpu first since its caches are warm; -1 if none. */
static s32 pick_idle_core(struct task_struct *p, s32 prev_cpu)
{
	const struct cpumask *idle_cores = scx_bpf_get_idle_smtmask();
	bool prev_core_idle = bpf_cpumask_test_cpu(prev_cpu, idle_cores) &&
			      bpf_cpumask_test_cpu(prev_cpu, p->cpus_ptr);

	scx_bpf_put_idle_cpumask(idle_cores);
	if (prev_core_idle && scx_bpf_test_and_clear_cpu_idle(prev_cpu))
		return prev_cpu;
	return scx_bpf_pick_idle_cpu(p->cpus_ptr, SCX_PICK_IDLE_CORE);
}

s32 BPF_STRUCT_OPS(gamer_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	struct task_ctx *tctx = lookup_task_ctx(p);
	/* The task's affinity may have changed while it slept, leaving prev_cpu outside it. */
	bool prev_allowed = bpf_cpumask_test_cpu(prev_cpu, p->cpus_ptr);
	bool is_idle = false;
	s32 cpu = -1;

	if (!prev_allowed)
		STAT_ADD(affinity_moves, 1);
	/* Out of migration tokens: stay where the caches are, and skip the queue only if idle.
	 * Checked before any idle CPU is claimed, so a claim is never dropped. A task that may no
	 * longer run on prev_cpu must move, and takes the usual path. */
	if (tctx && migrations_exhausted(tctx)) {
		STAT_ADD(migrations_denied, 1);
		if (prev_allowed) {
			if (scx_bpf_test_and_clear_cpu_idle(prev_cpu)) {
				scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, TUNABLE(slice_ns), 0);
				STAT_ADD(direct_idle, 1);
			}
			return prev_cpu;
		}
	}
	/* A whole idle core first: a game thread should not share a core with its SMT sibling. */
	if (avoid_smt)
		cpu = pick_idle_core(p, prev_cpu);
	if (cpu >= 0)
		is_idle = true;
	else
		cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	/* With no CPU idle, scx_bpf_select_cpu_dfl answers prev_cpu, allowed or not: answer a CPU the
	 * task may run on (the kernel would otherwise pick one itself, behind our back). */
	if (!is_idle && !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
		cpu = bpf_cpumask_any_distribute(p->cpus_ptr);

	if (cpu != prev_cpu && tctx) {
		tctx->mig_count++;
		STAT_ADD(migrations, 1);
	}
	if (is_idle) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, TUNABLE(slice_ns), 0);
		STAT_ADD(direct_idle, 1);
	}
	return cpu;
}

/*
 * Puts the task at the head of the local queue of a CPU that runs unboosted work, preempting that
 * work, so the task runs next there whatever else is queued; false if the CPUs looked at all run
 * boosted work. cpu_ctx is read without a lock: a CPU that changed task meanwhile costs one
 * boosted task preempted, or one chance missed. The task's affinity cannot change meanwhile: the
 * kernel holds its runqueue lock through enqueue.
 */
static bool preempt_unboosted_cpu(struct task_struct *p, u64 slice, u64 enq_flags)
{
	/* The waking CPU first: it is running now, so preempting it needs no interrupt to another
	 * CPU (the waker is often a timer interrupt that broke into a hog). */
	s32 first = bpf_get_smp_processor_id(), i;
	u32 nr_cpus = scx_bpf_nr_cpu_ids();
	struct cpu_ctx *next = lookup_cpu_ctx(first);

	bpf_for(i, 0, PREEMPT_SCAN) {
		s32 cpu = (first + i) % nr_cpus;
		struct cpu_ctx *cctx = next;

		/* Seed proposal 2.3: the next CPU's context, fetched while this one is examined. Both
		 * builds look it up here; prefetch=on only adds the prefetch. */
		next = lookup_cpu_ctx((cpu + 1) % nr_cpus);
		PREFETCH(next, 0, 2);
		if (!cctx || cctx->running_boosted || !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL_ON | cpu, slice, enq_flags | SCX_ENQ_PREEMPT);
		return true;
	}
	return false;
}

void BPF_STRUCT_OPS(gamer_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx = lookup_task_ctx(p);
	u64 slice = TUNABLE(slice_ns);
	s32 cpu;
	u32 role;

	/* SHARED_DSQ is ordered by deadline, so every insert into it is a vtime insert: the kernel
	 * ejects a scheduler that mixes FIFO and vtime inserts in one queue. A task without a
	 * context (init_task creates one or fails the fork, so only if its storage were lost) is
	 * queued as if it had just woken with no credit. */
	if (!tctx) {
		STAT_ADD(no_task_ctx, 1);
		scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, slice, vtime_now, enq_flags);
		return;
	}
	role = effective_role(p, tctx);
	/* A CPU may have gone idle after select_cpu looked: queue the task and wake that CPU. */
	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu >= 0) {
		scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, slice, task_deadline(tctx, role), enq_flags);
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
		STAT_ADD(enqueued, 1);
		STAT_ADD(kicked, 1);
		return;
	}
	/* No CPU is idle. An input handler takes one from unboosted work in an input window; any
	 * other boosted thread does so when it wakes (not when its slice ran out), so it never waits
	 * behind a hog's slice, nor behind the queue. */
	if (role == ROLE_INPUT) {
		if (input_window_open() && preempt_unboosted_cpu(p, slice, enq_flags)) {
			STAT_ADD(input_preempts, 1);
			return;
		}
	} else if ((enq_flags & SCX_ENQ_WAKEUP) && is_boosted(role, tctx) && preempt_unboosted_cpu(p, slice, enq_flags)) {
		STAT_ADD(boost_preempts, 1);
		return;
	}
	scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, slice, task_deadline(tctx, role), enq_flags);
	STAT_ADD(enqueued, 1);
}

void BPF_STRUCT_OPS(gamer_dispatch, s32 cpu, struct task_struct *prev)
{
#ifdef GAMER_FAULT_STALL
	/* Fault build (io.gamerlab.sched.Fault): queued tasks never run, so the watchdog must eject us. */
	return;
#endif
	if (scx_bpf_dsq_move_to_local(SHARED_DSQ)) {
		STAT_ADD(dispatched, 1);
		return;
	}
	/* Nothing is queued, so the kernel keeps prev running; if prev used up its slice, the kernel
	 * would refill it with its own default (20 ms). Refill it with ours. */
	if (prev && (prev->scx.flags & SCX_TASK_QUEUED)) {
		prev->scx.slice = TUNABLE(slice_ns);
		STAT_ADD(slice_refills, 1);
	}
}

void BPF_STRUCT_OPS(gamer_runnable, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx = lookup_task_ctx(p);

	if (!tctx)
		return;
	/* A new burst of work begins: the runtime since the last sleep starts again from zero. */
	tctx->exec_runtime = 0;
	tctx->woken_at = bpf_ktime_get_ns();
	apply_declared_role(p, tctx);
#ifdef GAMER_PIPELINE_ON
	struct task_ctx *wctx;
	struct task_struct *waker;

	/* The LMAX idea applied to a frame: when stage k hands over to stage k+1 (wakes it), k+1
	 * is what the frame now waits on, so it goes to the front. */
	if (!(enq_flags & SCX_ENQ_WAKEUP))
		return;
	waker = bpf_get_current_task_btf();
	wctx = bpf_task_storage_get(&task_ctxs, waker, 0, 0);
	if (wctx && stage_of(waker, wctx) && stage_of(p, tctx) == wctx->stage + 1) {
		tctx->boost_once = 1;
		STAT_ADD(pipeline_boosts, 1);
	}
#endif
}

/* A wake-up-to-running wait by role, summed, maximised, and counted when it lasted a whole slice
 * or more: what a role boost should shorten. */
static void note_wait(u32 role, u64 waited)
{
	struct gamer_stats *s = this_cpu_stats();
	bool over_slice = waited >= TUNABLE(slice_ns);

	if (!s)
		return;
	if (role == ROLE_INPUT) {
		s->input_wait_ns += waited;
		s->input_waits++;
		s->input_waits_over_slice += over_slice;
		if (waited > s->max_input_wait_ns)
			s->max_input_wait_ns = waited;
	} else if (role == ROLE_GAME) {
		s->game_wait_ns += waited;
		s->game_waits++;
		s->game_waits_over_slice += over_slice;
		if (waited > s->max_game_wait_ns)
			s->max_game_wait_ns = waited;
	} else if (role == ROLE_NONE) {
		s->other_wait_ns += waited;
		s->other_waits++;
		s->other_waits_over_slice += over_slice;
		if (waited > s->max_other_wait_ns)
			s->max_other_wait_ns = waited;
	}
}

void BPF_STRUCT_OPS(gamer_running, struct task_struct *p)
{
	struct task_ctx *tctx = lookup_task_ctx(p);
	struct cpu_ctx *cctx = lookup_cpu_ctx(scx_bpf_task_cpu(p));
	bool boosted;
	u32 role;

	if (!tctx)
		return;
	role = effective_role(p, tctx);
	tctx->last_run_at = bpf_ktime_get_ns();
	/* How long the task waited from wake-up to now, by role: what a role boost should shorten. */
	if (tctx->woken_at) {
		u64 waited = tctx->last_run_at - tctx->woken_at;

		tctx->woken_at = 0;
		note_wait(role, waited);
	}
	if ((s64)(tctx->vtime - vtime_now) > 0)
		vtime_now = tctx->vtime;
	boosted = is_boosted(role, tctx);
	/* A pipeline boost is for the wake-up that set it, however the task reached this CPU. */
	if (tctx->boost_once)
		tctx->boost_once = 0;
	if (cctx) {
		cctx->running_role = role;
		cctx->running_boosted = boosted;
	}
	STAT_ADD(started, 1);
	if (boosted)
		STAT_ADD(boosted, 1);
}

void BPF_STRUCT_OPS(gamer_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *tctx = lookup_task_ctx(p);
	struct cpu_ctx *cctx = lookup_cpu_ctx(scx_bpf_task_cpu(p));
	u64 ran;

	/* This CPU no longer runs the task: it must not keep counting as busy with boosted work. */
	if (cctx) {
		cctx->running_role = ROLE_NONE;
		cctx->running_boosted = 0;
	}
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

/* The task leaves this scheduler (it exited, or we are unloading): release what init_task made,
 * now rather than when the kernel finally frees the task. */
void BPF_STRUCT_OPS(gamer_exit_task, struct task_struct *p, struct scx_exit_task_args *args)
{
	if (!bpf_task_storage_delete(&task_ctxs, p))
		STAT_ADD(task_ctxs_released, 1);
}

/* A higher scheduling class (RT, deadline, stop) took this CPU. Tasks already moved to its local
 * queue would wait until it comes back: send them through enqueue again, so another CPU can run
 * them. (Kernels from 7.0 call this callback deprecated in favour of SCX_ENQ_IMMED, which 6.13
 * lacks, and log a warning at load.) */
void BPF_STRUCT_OPS(gamer_cpu_release, s32 cpu, struct scx_cpu_release_args *args)
{
	u32 moved = scx_bpf_reenqueue_local();

	STAT_ADD(cpu_releases, 1);
	STAT_ADD(reenqueued, moved);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(gamer_init)
{
	game_tgid = game_pid;
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

/* ---- Classification hooks. Each names a kernel function; the loader skips the hook (and
 * reports it) where this kernel or its loaded modules lack that function. ---- */

/* Gives the current thread a role unless it has one (a declared role is never overwritten). */
static void classify_current(u32 role)
{
	struct task_ctx *tctx = bpf_task_storage_get(&task_ctxs, bpf_get_current_task_btf(), 0, 0);

	if (tctx && tctx->role == ROLE_NONE && !tctx->declared) {
		tctx->role = role;
		STAT_ADD(classified, 1);
	}
}

/* What a hooked call says about the caller's process. */
enum process_hint {
	NO_HINT,
	GAME_EVIDENCE,	/* games do this: count it towards the caller's process */
	NOT_THE_GAME,	/* the compositor does this */
};

/*
 * The foreground game is the process, other than the compositor, that showed the most evidence
 * (GPU submissions, reads of input devices) over the last window: the first process to show any
 * becomes the game at once; afterwards, at the end of each window, the first rival seen in it
 * replaces the game if it showed more, or if the game showed none. At most one change per window,
 * so two rendering processes cannot make it flap. A heuristic: a compositor reading input is
 * excluded only once one of its threads made an atomic commit; the game_pid tunable overrides it.
 * Counters are updated without a lock (fentry programs may not take bpf_spin_lock): the first
 * game and the window's rival are claimed with a compare-and-swap, counts with atomic adds, and
 * one caller alone (the one whose compare-and-swap moves the window's start) decides at the end of
 * a window and resets the counts; an event counted by another CPU during that reset is lost, which
 * shifts the next decision by one event.
 */
static void note_game_evidence(void)
{
	u32 tgid = bpf_get_current_pid_tgid() >> 32;
	u64 start, now;
	u32 next;

	if (game_pid || tgid == foreground.compositor)
		return;
	/* The first evidence makes its process the game: of two first pieces on two CPUs, one wins. */
	if (!game_tgid && __sync_val_compare_and_swap(&game_tgid, 0, tgid) == 0)
		STAT_ADD(foreground_changes, 1);
	if (tgid == game_tgid) {
		__sync_fetch_and_add(&foreground.game_events, 1);
	} else {
		if (!foreground.rival)
			__sync_val_compare_and_swap(&foreground.rival, 0, tgid);
		if (foreground.rival == tgid)
			__sync_fetch_and_add(&foreground.rival_events, 1);
	}
	now = bpf_ktime_get_ns();
	start = foreground.window_start;
	if (now - start < TUNABLE(foreground_window_ns))
		return;
	/* The window is over: the caller that moves its start decides. */
	if (__sync_val_compare_and_swap(&foreground.window_start, start, now) != start)
		return;
	next = foreground.rival;
	if (foreground.rival_events > foreground.game_events || !foreground.game_events) {
		if (next != game_tgid)
			STAT_ADD(foreground_changes, 1);
		game_tgid = next;
	}
	foreground.game_events = 0;
	foreground.rival = 0;
	foreground.rival_events = 0;
}

static void note_process(enum process_hint hint)
{
	u32 tgid;

	if (hint == GAME_EVIDENCE) {
		note_game_evidence();
	} else if (hint == NOT_THE_GAME) {
		tgid = bpf_get_current_pid_tgid() >> 32;
		foreground.compositor = tgid;	/* the latest compositor seen: one value, any writer */
		if (!game_pid)
			__sync_val_compare_and_swap(&game_tgid, tgid, 0);
	}
}

/* Input event types and codes (include/uapi/linux/input-event-codes.h; not in vmlinux.h). */
#define EV_SYN		0x00
#define EV_KEY		0x01
#define EV_REL		0x02
#define BTN_MISC	0x100	/* key codes below are keyboard keys */
#define BTN_MOUSE	0x110	/* mouse buttons: BTN_MOUSE up to BTN_JOYSTICK */
#define BTN_JOYSTICK	0x120

/* How long an event keeps the input window open, by the kind of device it comes from. */
static u64 input_window_for(unsigned int type, unsigned int code)
{
	if (type == EV_SYN)	/* ends a report: not an input of its own */
		return 0;
	if (type == EV_REL || (type == EV_KEY && code >= BTN_MOUSE && code < BTN_JOYSTICK)) {
		STAT_ADD(mouse_events, 1);
		return TUNABLE(mouse_boost_ns);
	}
	if (type == EV_KEY && code < BTN_MISC) {
		STAT_ADD(keyboard_events, 1);
		return TUNABLE(keyboard_boost_ns);
	}
	return TUNABLE(input_window_ns);
}

/* Every input event, from any device: opens (or extends) the input window and goes to user space. */
SEC("fentry/input_event")
int BPF_PROG(on_input_event, struct input_dev *dev, unsigned int type, unsigned int code, int value)
{
	u64 window = input_window_for(type, code);
	u64 until = bpf_ktime_get_ns() + window, seen = input_until, was;
	int i;

	/* Only ever extend: a short-window event must not cut a keyboard window short, on this CPU
	 * or another. A failed swap means another CPU moved it; try again against its value. A zero
	 * window opens none: storing "now" would open one for a CPU that read the clock just before. */
	if (window) {
		bpf_for(i, 0, 4) {
			if ((s64)(until - seen) <= 0)
				break;
			was = __sync_val_compare_and_swap(&input_until, seen, until);
			if (was == seen)
				break;
			seen = was;
		}
	}
	STAT_ADD(input_events, 1);
	gamer_emit_input_event(type, code, value, (u32)dev->id.vendor << 16 | dev->id.product);
	return 0;
}

/* A hook that gives the thread calling `function` a role and notes what the call says about its process. */
#define CLASSIFY_CALLERS_OF(function, role, hint)		\
	SEC("fentry/" #function)				\
	int BPF_PROG(classify_##function)			\
	{							\
		classify_current(role);				\
		note_process(hint);				\
		return 0;					\
	}

/* The thread reading an evdev device is the game's (or compositor's) input handler. */
CLASSIFY_CALLERS_OF(evdev_read, ROLE_INPUT, GAME_EVIDENCE)
/* DRM ioctls come from threads that submit GPU work. */
CLASSIFY_CALLERS_OF(drm_ioctl, ROLE_GPU, GAME_EVIDENCE)
/* An atomic mode-set commit comes from the compositor. */
CLASSIFY_CALLERS_OF(drm_atomic_commit, ROLE_COMPOSITOR, NOT_THE_GAME)
/* Writing PCM frames is what an audio thread does every period (music players too: no evidence). */
CLASSIFY_CALLERS_OF(snd_pcm_lib_write, ROLE_AUDIO, NO_HINT)

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
	.exit_task	= (void *)gamer_exit_task,
	.cpu_release	= (void *)gamer_cpu_release,
	.init		= (void *)gamer_init,
	.exit		= (void *)gamer_exit,
	.timeout_ms	= WATCHDOG_TIMEOUT_MS,
	/* No SCX_OPS_* flag, each left out on purpose: ENQ_LAST (dispatch refills prev's slice
	 * instead), ENQ_EXITING (we never look tasks up by pid, so the kernel may place exiting
	 * tasks itself), SWITCH_PARTIAL (every normal task is ours: the question is the whole
	 * machine), KEEP_BUILTIN_IDLE (no update_idle of our own), and the flags 6.13 lacks
	 * (ENQ_MIGRATION_DISABLED, ALLOW_QUEUED_WAKEUP, BUILTIN_IDLE_PER_NODE). */
	.flags		= 0,
	.name		= "gamerlab",
};
