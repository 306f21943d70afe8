// SPDX-License-Identifier: GPL-2.0
/*
 * Seed proposal 5 on the host kernel: does putting the read-mostly classification (role, declared,
 * stage) on its own cache line, apart from the counters written at every context switch, pay off
 * in BPF task storage? The scheduler's own struct task_ctx and task storage map (task_ctx.h),
 * built packed (default) or split (-DGAMER_TASKCTX_SPLIT).
 *
 * Two threads of the target process, pinned to two CPUs, call getpgid() in a loop:
 *   taskctx_writer	on each getpgid of writer_tid: its own task context (created on the first
 *			call), updated as gamer_running and gamer_stopping update it: the role it runs
 *			with is read, the run since last_run_at is charged to exec_runtime and vtime,
 *			last_run_at is set, woken_at cleared.
 *   taskctx_reader	on each getpgid of reader_tid: the writer's task context, looked up as
 *			another CPU's enqueue looks up a task's, and its classification read as
 *			role_of/effective_role (role, declared) and stage_of (stage) read it.
 * The reader reaches the writer's task with the kfuncs bpf_task_from_pid() and bpf_task_release()
 * (allowed in tracing programs): both layouts pay their cost alike, the difference is the signal.
 *
 * Each program counts, in its own entry of thread_counts (a cache line of its own: the array is
 * mmapable, so its values start on a page), the calls of its thread, the calls that found no task
 * context, and the time its work took between two bpf_ktime_get_ns() reads (BPF's run-time
 * statistics also count the runs that return at once, for every other syscall on the machine).
 * It also notes where the writer's task context lies in memory: BPF local storage puts the value
 * behind its element header, so the 64-byte alignment the compiler assumes need not hold.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "task_ctx.h"
#include "getpgid_target.bpf.h"

char _license[] SEC("license") = "GPL";

#define READ_ONCE_U32(x) (*(volatile u32 *)&(x))

/* Thread ids, set from user space before load. */
const volatile u32 writer_tid;
const volatile u32 reader_tid;

enum { WRITER, READER, NR_THREADS };

/* One program's counters, written by that program only. */
struct thread_counts {
	u64 calls;	/* getpgid calls of the thread that found (or made) the task context */
	u64 misses;	/* ... that found no task (reader) or no task context */
	u64 work_ns;	/* time of the work, summed over calls */
	u64 sink;	/* what the reads computed, so none is optimised away */
	u64 value_addr;	/* where the writer's task context lies, as this program first saw it */
} __attribute__((aligned(CACHELINE_SIZE)));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, NR_THREADS);
	__type(key, u32);
	__type(value, struct thread_counts);
} thread_counts SEC(".maps");

/* The program's counters when this syscall is a getpgid of its thread, else NULL: the early return. */
static __always_inline struct thread_counts *counts_for(long id, u32 thread, u32 tid)
{
	if (id != NR_GETPGID || !in_target_thread(tid))
		return NULL;
	return bpf_map_lookup_elem(&thread_counts, &thread);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(taskctx_writer, struct pt_regs *regs, long id)
{
	struct thread_counts *counts;
	struct task_ctx *tctx;
	u64 start, now, ran;
	u32 role;

	counts = counts_for(id, WRITER, writer_tid);
	if (!counts)
		return 0;
	start = bpf_ktime_get_ns();
	tctx = bpf_task_storage_get(&task_ctxs, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!tctx) {
		counts->misses++;
		return 0;
	}
	/* gamer_running: effective_role() reads the role and, while it is none, declared. */
	role = READ_ONCE_U32(tctx->role);
	if (role == ROLE_NONE)
		role = READ_ONCE_U32(tctx->declared);
	now = bpf_ktime_get_ns();
	if (tctx->woken_at)
		tctx->woken_at = 0;
	/* gamer_stopping: the run since the last start, charged (weight 100: vtime advances 1:1). */
	ran = now - tctx->last_run_at;
	tctx->exec_runtime += ran;
	tctx->vtime += ran;
	tctx->last_run_at = now;
	counts->work_ns += bpf_ktime_get_ns() - start;
	if (!counts->value_addr)
		counts->value_addr = (u64)tctx;
	counts->sink += role;
	counts->calls++;
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(taskctx_reader, struct pt_regs *regs, long id)
{
	struct thread_counts *counts;
	struct task_struct *writer;
	struct task_ctx *wctx;
	u64 start, seen = 0;
	u32 classification = 0;

	counts = counts_for(id, READER, reader_tid);
	if (!counts)
		return 0;
	start = bpf_ktime_get_ns();
	writer = bpf_task_from_pid(writer_tid);
	if (!writer) {
		counts->misses++;
		return 0;
	}
	wctx = bpf_task_storage_get(&task_ctxs, writer, 0, 0);
	if (wctx) {
		/* role_of/effective_role and stage_of: the role, whether it was declared, the stage. */
		classification = READ_ONCE_U32(wctx->role) + READ_ONCE_U32(wctx->declared) + READ_ONCE_U32(wctx->stage);
		seen = (u64)wctx;
	}
	bpf_task_release(writer);
	counts->work_ns += bpf_ktime_get_ns() - start;
	if (!seen) {
		counts->misses++;
		return 0;
	}
	if (!counts->value_addr)
		counts->value_addr = seen;
	counts->sink += classification;
	counts->calls++;
	return 0;
}
