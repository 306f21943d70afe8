package io.gamerlab.experiment;

class GuestEndToEndBaselineTest extends GuestEndToEndChecks {
    @Override
    String variantText() {
        return "baseline";  // ringbuf=shared,prefetch=off,batch=1,taskctx=packed,pipeline=off
    }
}
