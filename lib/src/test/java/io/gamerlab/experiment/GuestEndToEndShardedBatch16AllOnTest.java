package io.gamerlab.experiment;

class GuestEndToEndShardedBatch16AllOnTest extends GuestEndToEndChecks {
    @Override
    String variantText() {
        return "ringbuf=sharded,prefetch=on,batch=16,taskctx=split,pipeline=on";
    }
}
