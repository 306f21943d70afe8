#!/bin/busybox sh
# PID 1 of the gamerlab guest: mount what the JVM and libbpf need, run the job, power off.
# Whatever happens, it ends in poweroff, so QEMU exits and the host reads what is there.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t bpf bpf /sys/fs/bpf
mount -t ext4 /dev/nvme0n2 /job || { echo "gamerlab-guest: job disk missing"; poweroff -f; }
echo "gamerlab-guest: kernel $(uname -r), $(nproc) CPUs, sched_ext $(cat /sys/kernel/sched_ext/state)"
mkdir -p /job/results
sh /job/run.sh
echo "gamerlab-guest: job exited with $?"
cat /sys/kernel/sched_ext/state > /job/results/final-state
dmesg | grep -i sched_ext > /job/results/dmesg-sched_ext.txt
sync
umount /job
poweroff -f
