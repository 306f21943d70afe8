package io.gamerlab.cli;

import io.gamerlab.experiment.Backend;
import io.gamerlab.experiment.GuestBackend;
import io.gamerlab.experiment.HostBackend;

/** Where a command runs the scheduler: the host if it can, else a guest ({@code auto}); or either by force. */
enum Where {
    auto, host, guest;

    Backend backend() {
        return switch (this) {
            case auto -> Backend.auto();
            case host -> new HostBackend();
            case guest -> GuestBackend.standard();
        };
    }
}
