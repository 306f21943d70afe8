package io.gamerlab.experiment;

class GuestEndToEndPerCpuBatch8SplitTest extends GuestEndToEndChecks {
    @Override
    String variantText() {
        return "ringbuf=percpu,batch=8,taskctx=split";
    }
}
