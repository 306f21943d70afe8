package io.gamerlab.experiment;

class GuestEndToEndPerCpuBatch4Test extends GuestEndToEndChecks {
    @Override
    String variantText() {
        return "ringbuf=percpu,batch=4";
    }
}
