/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The input-event path to user space: one piece of BPF shared by the scheduler (called from its
 * input hook) and by the host bench trigger (bpf/bench/ringbuf_trigger.bpf.c). Include it after
 * vmlinux.h and <bpf/bpf_helpers.h>; a program then calls
 *
 *	gamer_emit_input_event(type, code, value, device);
 *
 * and io.gamerlab.sched.InputEventStream reads the events in user space. Nothing needs
 * initialising from BPF: the flush timers initialise themselves on first use. For ringbuf=percpu,
 * user space creates the inner ring buffers after load (InputEventStream does).
 *
 * Variant axes (-DGAMER_<AXIS>_<VALUE>; the default value defines no macro):
 *   ringbuf   shared (default)      one BPF_MAP_TYPE_RINGBUF, input_ring
 *             GAMER_RINGBUF_PERCPU   one ring per CPU: ARRAY_OF_MAPS input_rings, looked up with
 *                                    bpf_get_smp_processor_id(); user space creates the rings
 *             GAMER_RINGBUF_SHARDED  GAMER_INPUT_SHARDS (4) static rings input_ring_<cpu % 4>
 *   batch     1 (default), GAMER_BATCH_4, GAMER_BATCH_8, GAMER_BATCH_16: events per
 *             reserve/submit. A partial batch leaves within input_flush_ns, sent by a timer.
 *   prefetch  GAMER_PREFETCH_ON: __builtin_prefetch(rec + 1, 1, 3) right after each reserve
 *             (seed proposal 2.1; clang's BPF backend may emit nothing for it)
 *
 * Records in the rings: with batch=1 a record is one bare struct gamer_input_event (32 bytes);
 * otherwise a struct gamer_input_batch (8 + 32*B bytes) of which `count` events are used.
 *
 * Concurrency on one CPU. Each CPU has a state slot (input_cpus[cpu]: staged batch, sequence
 * counter, flush timer). Contexts that can meet on a slot: the producer (the caller's context:
 * process, softirq or hardirq), the flush timer's callback (softirq), and a producer that
 * interrupts or preempts either of them. bpf_spin_lock is no help: no ringbuf helper may be
 * called while it is held, and the reserve must follow the staging order. So:
 *  - `busy` is a try-lock taken with one xchg (the only atomic on the common path). Its owner
 *    assigns sequence numbers, stages, reserves and submits, so records leave each CPU in
 *    sequence order, whatever the ring layout.
 *  - A producer that finds the slot busy (it interrupted the owner, or preempted it) never
 *    waits: it appends its event to a small queue of GAMER_INPUT_NESTED events and arms the
 *    timer. The owner drains that queue before its own event and again before it lets go, and
 *    the timer drains what arrives after that last look. Queued events get their sequence number
 *    when drained, so sequence order stays record order.
 *  - The timer callback that finds the slot busy retries GAMER_INPUT_RETRY_NS later.
 *  - The timer is started with BPF_F_TIMER_CPU_PIN (kernel >= 6.7) so its callback runs on the
 *    slot's CPU; without that flag it falls back to an unpinned start, which the xchg try-lock
 *    still makes safe (x86's ordering publishes the staged events with the release store).
 * Residual risk, each counted in input_drops rather than silent: an event whose producer finds
 * the queue's own writer busy (three contexts deep on one CPU: e.g. a hardirq producer inside a
 * softirq producer inside an owner), or the queue full (GAMER_INPUT_NESTED events during one
 * owner's section), or a full ring. A ring-full drop also leaves a sequence gap (the events had
 * numbers); a queue drop does not (numbers are given at drain). Two more limits: BPF's own
 * recursion guard skips (and counts in the program's recursion_misses) a program that fires
 * again on a CPU while it already runs there; and a staged event waits at most input_flush_ns
 * plus a retry per time the timer finds the slot busy.
 */
#ifndef __GAMER_INPUT_EVENTS_BPF_H
#define __GAMER_INPUT_EVENTS_BPF_H

/* ---- variant selection ---- */

#if defined(GAMER_RINGBUF_PERCPU) && defined(GAMER_RINGBUF_SHARDED)
#error "choose one ringbuf value: GAMER_RINGBUF_PERCPU or GAMER_RINGBUF_SHARDED"
#endif

#ifdef GAMER_BATCH_4
#define GAMER_INPUT_BATCH 4
#endif
#ifdef GAMER_BATCH_8
#ifdef GAMER_INPUT_BATCH
#error "choose one batch value"
#endif
#define GAMER_INPUT_BATCH 8
#endif
#ifdef GAMER_BATCH_16
#ifdef GAMER_INPUT_BATCH
#error "choose one batch value"
#endif
#define GAMER_INPUT_BATCH 16
#endif
#ifndef GAMER_INPUT_BATCH
#define GAMER_INPUT_BATCH 1
#endif

/* ---- sizes (override with -D) ---- */

#ifndef GAMER_INPUT_RING_BYTES
#define GAMER_INPUT_RING_BYTES	(256 * 1024)	/* every ring, whatever the layout */
#endif
#ifndef GAMER_INPUT_MAX_CPUS
#define GAMER_INPUT_MAX_CPUS	64		/* state slots; user space may raise it before load */
#endif
#ifndef GAMER_INPUT_SHARDS
#define GAMER_INPUT_SHARDS	4		/* ringbuf=sharded: static rings, picked by cpu % N */
#endif
/* Queue for producers that find their CPU's slot busy. 8 overflowed in a TCG guest (14 of 12k
 * events at 1 kHz): there a flush-timer callback can be interrupted by many input interrupts. */
#define GAMER_INPUT_NESTED	64
#define GAMER_INPUT_RETRY_NS	20000ULL	/* timer retry when it found the slot busy */
#define GAMER_INPUT_FLUSH_TIMER	1		/* gamer_input_batch.flags: sent by the flush timer */

#define GAMER_INPUT_ENOENT	2
#define GAMER_INPUT_EBUSY	16
#define GAMER_INPUT_ENOSPC	28
#define GAMER_INPUT_CLOCK_MONOTONIC 1

#define gamer_input_barrier()	asm volatile("" ::: "memory")
#define GAMER_INPUT_READ(x)	(*(volatile typeof(x) *)&(x))
#define GAMER_INPUT_WRITE(x, v)	(*(volatile typeof(x) *)&(x) = (v))

/* ---- what user space receives ---- */

struct gamer_input_event {
	u64 ts_ns;	/* bpf_ktime_get_ns() at the hook: CLOCK_MONOTONIC */
	u64 seq;	/* per CPU, from 0 since load: gaps are lost events, reversals reorderings */
	u32 cpu;	/* the CPU the hook ran on */
	u32 device;
	u16 type;	/* EV_KEY, EV_REL, ... */
	u16 code;
	s32 value;
};
_Static_assert(sizeof(struct gamer_input_event) == 32, "gamer_input_event must be 32 bytes");

struct gamer_input_batch {
	u16 count;	/* events used, 1..GAMER_INPUT_BATCH */
	u16 flags;	/* GAMER_INPUT_FLUSH_TIMER */
	u32 cpu;	/* the CPU whose staged events these are */
	struct gamer_input_event events[GAMER_INPUT_BATCH];
};
_Static_assert(sizeof(struct gamer_input_batch) == 8 + 32 * GAMER_INPUT_BATCH, "batch header must be 8 bytes");

/* ---- tunables (set before load) ---- */

/* The longest a staged event of a partial batch waits for its batch to fill. */
const volatile u64 input_flush_ns = 1000000;
/* 0 or 1: submit with flags 0 (the kernel wakes the consumer if it had caught up). N > 1:
 * BPF_RB_FORCE_WAKEUP on every Nth record of a CPU, BPF_RB_NO_WAKEUP otherwise (the consumer's
 * poll timeout then bounds how long the records in between can wait). */
const volatile u32 input_wakeup_every = 0;

/* ---- maps ---- */

/* One CPU's slot. `busy` and `nested_busy` are u64 because clang's default BPF CPU has only the
 * 64-bit xchg. Counters are summed by user space over slots. */
struct gamer_input_cpu {
	struct bpf_timer timer;
	u64 busy;		/* xchg try-lock: the owner stages, reserves and submits */
	u64 nested_busy;	/* xchg try-lock for writers of nested_events */
	u64 seq;		/* the next event's sequence number */
	u32 staged;		/* events in batch[] */
	u32 timer_ready;	/* bpf_timer_init and set_callback done */
	u32 armed;		/* a flush is pending: set on start, cleared by the callback */
	u32 nested_head;	/* written by nested producers */
	u32 nested_tail;	/* written by owners */
	u64 records;		/* records submitted */
	u64 events;		/* events in those records */
	u64 timer_flushes;	/* records the timer sent (partial batches) */
	u64 timer_retries;	/* timer callbacks that found the slot busy */
	u64 nested;		/* events that went through the nested queue */
	u64 timer_errors;	/* bpf_timer_start failed both pinned and unpinned */
	u64 timer_starts;	/* bpf_timer_start calls (flushes armed, retries); not atomic: near */
#if GAMER_INPUT_BATCH > 1
	struct gamer_input_event batch[GAMER_INPUT_BATCH];
#endif
	struct gamer_input_event nested_events[GAMER_INPUT_NESTED];
} __attribute__((aligned(64)));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GAMER_INPUT_MAX_CPUS);
	__type(key, u32);
	__type(value, struct gamer_input_cpu);
} input_cpus SEC(".maps");

/* Events lost in BPF, for any reason (ring full, no slot or ring for the CPU, nested queue). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} input_drops SEC(".maps");

#if defined(GAMER_RINGBUF_PERCPU)
struct gamer_input_ringbuf {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, GAMER_INPUT_RING_BYTES);
};

/* The inner rings are created by user space after load (bpf_map_create + update of slot cpu);
 * this declaration is only their template. A CPU without a ring drops (and counts) its events. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, GAMER_INPUT_MAX_CPUS);
	__type(key, u32);
	__array(values, struct gamer_input_ringbuf);
} input_rings SEC(".maps");

#elif defined(GAMER_RINGBUF_SHARDED)
_Static_assert(GAMER_INPUT_SHARDS == 4, "ringbuf=sharded declares exactly four rings");
#define GAMER_INPUT_SHARD(n)					\
	struct {						\
		__uint(type, BPF_MAP_TYPE_RINGBUF);		\
		__uint(max_entries, GAMER_INPUT_RING_BYTES);	\
	} input_ring_##n SEC(".maps")
GAMER_INPUT_SHARD(0);
GAMER_INPUT_SHARD(1);
GAMER_INPUT_SHARD(2);
GAMER_INPUT_SHARD(3);

#else
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, GAMER_INPUT_RING_BYTES);
} input_ring SEC(".maps");
#endif

/* ---- implementation ---- */

static __always_inline void input_count_drops(u64 n)
{
	u32 zero = 0;
	u64 *drops = bpf_map_lookup_elem(&input_drops, &zero);

	if (drops)
		__sync_fetch_and_add(drops, n);
}

/* A record of `size` bytes in the ring of `cpu`; NULL when it is full or missing. Each layout
 * calls reserve with a constant map, so the verifier sees which ring each call site uses. */
static __always_inline void *input_reserve(u32 cpu, u64 size)
{
#if defined(GAMER_RINGBUF_PERCPU)
	void *ring = bpf_map_lookup_elem(&input_rings, &cpu);

	if (!ring)
		return NULL;
	return bpf_ringbuf_reserve(ring, size, 0);
#elif defined(GAMER_RINGBUF_SHARDED)
	u32 shard = cpu % GAMER_INPUT_SHARDS;

	if (shard == 0)
		return bpf_ringbuf_reserve(&input_ring_0, size, 0);
	if (shard == 1)
		return bpf_ringbuf_reserve(&input_ring_1, size, 0);
	if (shard == 2)
		return bpf_ringbuf_reserve(&input_ring_2, size, 0);
	return bpf_ringbuf_reserve(&input_ring_3, size, 0);
#else
	return bpf_ringbuf_reserve(&input_ring, size, 0);
#endif
}

/* The submit flags of the slot's next record (see input_wakeup_every). */
static __always_inline u64 input_wakeup_flags(struct gamer_input_cpu *st)
{
	u32 every = input_wakeup_every;
	u64 n = st->records++;

	if (every <= 1)
		return 0;
	return n % every == 0 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void input_timer_start(struct gamer_input_cpu *st, u64 delay_ns)
{
	GAMER_INPUT_WRITE(st->armed, 1);
	st->timer_starts++;
	/* Pinned, the callback runs on the slot's CPU; older kernels reject the flag. */
	if (bpf_timer_start(&st->timer, delay_ns, BPF_F_TIMER_CPU_PIN) &&
	    bpf_timer_start(&st->timer, delay_ns, 0)) {
		GAMER_INPUT_WRITE(st->armed, 0);
		__sync_fetch_and_add(&st->timer_errors, 1);
	}
}

static int input_flush_timer_cb(void *map, u32 *key, struct gamer_input_cpu *st);

/* Starts the flush timer unless a flush is already pending, initialising it on first use. Not
 * from the timer callback itself. A pending flush is at most delay_ns away and sends whatever is
 * staged when it fires, so restarting it would only push that flush later at the price of an
 * hrtimer restart per batch (it doubled the BPF cost per event at batch 8 before this check).
 * The callback clears `armed` only while it holds the slot, before it flushes: a producer that
 * staged under the slot and then still sees `armed` is sure that callback will send its event. */
static __always_inline void input_arm(struct gamer_input_cpu *st, u64 delay_ns)
{
	if (GAMER_INPUT_READ(st->armed))
		return;
	if (!st->timer_ready) {
		/* -EBUSY when another context got there first: harmless. */
		bpf_timer_init(&st->timer, &input_cpus, GAMER_INPUT_CLOCK_MONOTONIC);
		bpf_timer_set_callback(&st->timer, input_flush_timer_cb);
		st->timer_ready = 1;
	}
	input_timer_start(st, delay_ns);
}

#if GAMER_INPUT_BATCH > 1
/* Sends the staged events as one record. Owner only. */
static __noinline int input_flush(struct gamer_input_cpu *st, u32 cpu, u32 flags)
{
	struct gamer_input_batch *rec;
	u32 n = st->staged;

	if (!n || n > GAMER_INPUT_BATCH)
		return 0;
	st->staged = 0;
	rec = input_reserve(cpu, sizeof(*rec));
	if (!rec) {
		input_count_drops(n);
		return -GAMER_INPUT_ENOSPC;
	}
#ifdef GAMER_PREFETCH_ON
	__builtin_prefetch(rec + 1, 1, 3);
#endif
	rec->count = n;
	rec->flags = flags;
	rec->cpu = cpu;
	/* A constant-size copy: a partial batch carries stale slots after `count`. */
	__builtin_memcpy(rec->events, st->batch, sizeof(rec->events));
	st->events += n;
	if (flags & GAMER_INPUT_FLUSH_TIMER)
		st->timer_flushes++;
	bpf_ringbuf_submit(rec, input_wakeup_flags(st));
	return 0;
}
#endif

/* Returned by input_put when it staged the first event of a batch: the caller starts the flush
 * timer. Only the producer path arms the timer: a path from the timer callback to the code that
 * names the callback is a call-graph cycle, which newer verifiers (7.x) reject as recursion. */
#define GAMER_INPUT_ARM 1

/* Numbers the event and sends it (batch=1) or stages it. Owner only. */
static __noinline int input_put(struct gamer_input_cpu *st, struct gamer_input_event *ev, u32 cpu)
{
#if GAMER_INPUT_BATCH == 1
	struct gamer_input_event *rec;

	ev->seq = st->seq++;
	rec = input_reserve(cpu, sizeof(*rec));
	if (!rec) {
		input_count_drops(1);
		return -GAMER_INPUT_ENOSPC;
	}
#ifdef GAMER_PREFETCH_ON
	__builtin_prefetch(rec + 1, 1, 3);
#endif
	*rec = *ev;
	st->events++;
	bpf_ringbuf_submit(rec, input_wakeup_flags(st));
	return 0;
#else
	u32 n = st->staged;

	if (n >= GAMER_INPUT_BATCH) {	/* cannot happen: a full batch is flushed at once */
		input_flush(st, cpu, 0);
		n = 0;
	}
	ev->seq = st->seq++;
	st->batch[n] = *ev;
	st->staged = n + 1;
	if (n + 1 == GAMER_INPUT_BATCH)
		return input_flush(st, cpu, 0);
	return n == 0 ? GAMER_INPUT_ARM : 0;	/* the first staged event starts the clock */
#endif
}

/* Moves queued events from producers that found the slot busy into the stream. Owner only.
 * Returns GAMER_INPUT_ARM when it staged a batch's first event. */
static __noinline int input_drain_nested(struct gamer_input_cpu *st, u32 cpu)
{
	struct gamer_input_event ev;
	int i, arm = 0;
	u32 tail;

	for (i = 0; i < GAMER_INPUT_NESTED; i++) {
		tail = st->nested_tail;
		if (tail == GAMER_INPUT_READ(st->nested_head))
			break;
		ev = st->nested_events[tail % GAMER_INPUT_NESTED];
		gamer_input_barrier();	/* copied out before the slot is handed back */
		GAMER_INPUT_WRITE(st->nested_tail, tail + 1);
		if (input_put(st, &ev, cpu) == GAMER_INPUT_ARM)
			arm = GAMER_INPUT_ARM;
	}
	return arm;
}

/* A producer that found the slot busy: queue the event for the owner or the timer. */
static __noinline int input_queue_nested(struct gamer_input_cpu *st, struct gamer_input_event *ev)
{
	u32 head;

	if (__sync_lock_test_and_set(&st->nested_busy, 1)) {
		input_count_drops(1);
		return -GAMER_INPUT_EBUSY;
	}
	gamer_input_barrier();
	head = st->nested_head;
	if (head - GAMER_INPUT_READ(st->nested_tail) >= GAMER_INPUT_NESTED) {
		gamer_input_barrier();
		GAMER_INPUT_WRITE(st->nested_busy, 0);
		input_count_drops(1);
		return -GAMER_INPUT_ENOSPC;
	}
	st->nested_events[head % GAMER_INPUT_NESTED] = *ev;
	gamer_input_barrier();	/* the event is in place before the owner can see it */
	GAMER_INPUT_WRITE(st->nested_head, head + 1);
	__sync_fetch_and_add(&st->nested, 1);
	gamer_input_barrier();
	GAMER_INPUT_WRITE(st->nested_busy, 0);
	/* The owner may have taken its last look already: the timer is the backstop. */
	input_arm(st, input_flush_ns);
	return 0;
}

/* The flush timer: sends a partial batch and anything queued since the owner last looked. */
static int input_flush_timer_cb(void *map, u32 *key, struct gamer_input_cpu *st)
{
	u32 cpu = *key;

	if (__sync_lock_test_and_set(&st->busy, 1)) {
		/* It interrupted (or runs beside) the owner: come back shortly. */
		st->timer_retries++;
		input_timer_start(st, GAMER_INPUT_RETRY_NS);
		return 0;
	}
	GAMER_INPUT_WRITE(st->armed, 0);	/* from here on, what is staged leaves with this call */
	gamer_input_barrier();
	if (st->nested_tail != GAMER_INPUT_READ(st->nested_head))
		input_drain_nested(st, cpu);	/* whatever it stages is flushed just below */
#if GAMER_INPUT_BATCH > 1
	input_flush(st, cpu, GAMER_INPUT_FLUSH_TIMER);
#endif
	gamer_input_barrier();
	GAMER_INPUT_WRITE(st->busy, 0);
	if (st->nested_tail != GAMER_INPUT_READ(st->nested_head))
		input_timer_start(st, GAMER_INPUT_RETRY_NS);
	return 0;
}

/*
 * Sends one input event to user space, stamped with the time and CPU of the call.
 * Returns 0, or a negative errno when the event was dropped (and counted in input_drops):
 * -ENOSPC ring or nested queue full, -ENOENT no slot for this CPU, -EBUSY nested three deep.
 * With batch > 1 a 0 means "staged": a later submit fails with -ENOSPC too, and is counted.
 */
static __always_inline int gamer_emit_input_event(u16 type, u16 code, s32 value, u32 device)
{
	struct gamer_input_event ev = {
		.ts_ns = bpf_ktime_get_ns(),
		.cpu = bpf_get_smp_processor_id(),
		.device = device,
		.type = type,
		.code = code,
		.value = value,
	};
	struct gamer_input_cpu *st;
	u32 cpu = ev.cpu;
	int err, arm = 0;

	st = bpf_map_lookup_elem(&input_cpus, &cpu);
	if (!st) {
		input_count_drops(1);
		return -GAMER_INPUT_ENOENT;
	}
	if (__sync_lock_test_and_set(&st->busy, 1))
		return input_queue_nested(st, &ev);
	gamer_input_barrier();
	/* Queued events came before this one. */
	if (st->nested_tail != GAMER_INPUT_READ(st->nested_head))
		arm |= input_drain_nested(st, cpu);
	err = input_put(st, &ev, cpu);
	if (err == GAMER_INPUT_ARM) {
		arm = GAMER_INPUT_ARM;
		err = 0;
	}
	if (st->nested_tail != GAMER_INPUT_READ(st->nested_head))
		arm |= input_drain_nested(st, cpu);
	gamer_input_barrier();
	GAMER_INPUT_WRITE(st->busy, 0);
	if (arm)
		input_arm(st, input_flush_ns);
	return err;
}

#endif /* __GAMER_INPUT_EVENTS_BPF_H */
