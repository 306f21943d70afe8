#!/bin/busybox sh
# PID 1 of the gamerlab guest: mount what the JVM and libbpf need, run the job, power off.
# Whatever happens, it ends in poweroff, so QEMU exits and the host reads what is there.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t bpf bpf /sys/fs/bpf
# The job disk by its label: NVMe namespace names follow an asynchronous scan and may swap.
job=$(findfs LABEL=gamerlab-job)
mount -t ext4 "$job" /job || { echo "gamerlab-guest: job disk missing (LABEL=gamerlab-job: '$job')"; poweroff -f; }
echo "gamerlab-guest: kernel $(uname -r), $(nproc) CPUs, sched_ext $(cat /sys/kernel/sched_ext/state)"
# Kernel modules the image carries (virtio input and evdev), dependencies first. A module that
# fails to load is reported here and the run goes on without it: the workload then polls a timer.
if [ -f /lib/modules/gamerlab/load.list ]; then
  while read -r module; do
    if insmod "/lib/modules/gamerlab/$module.ko"; then
      echo "gamerlab-guest: module $module loaded"
    else
      echo "gamerlab-guest: module $module FAILED to load (insmod exit $?)"
    fi
  done < /lib/modules/gamerlab/load.list
fi
for event in /sys/class/input/event*; do
  [ -e "$event" ] && echo "gamerlab-guest: input device /dev/input/${event##*/} '$(cat "$event/device/name")'"
done
mkdir -p /job/results
sh /job/run.sh
echo "gamerlab-guest: job exited with $?"
cat /sys/kernel/sched_ext/state > /job/results/final-state
dmesg | grep -i sched_ext > /job/results/dmesg-sched_ext.txt
sync
umount /job
poweroff -f
