package org.virtcaps.core.spi;

import java.util.ArrayList;
import java.util.List;

import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.GuestArchitecture;

/**
 * What a driver's probe found.
 *
 * @param guests one entry per arch + os type + domain type
 * @param diagnostics why it contributes nothing, what it skipped
 */
public record ProbeResult(List<GuestArchitecture> guests, List<Diagnostic> diagnostics) {

    public ProbeResult {
        // nulls are kept so that core can report them rather than fail the whole result
        guests = guests == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(guests));
        diagnostics = diagnostics == null ? List.of() : List.copyOf(diagnostics);
    }

    /** Nothing to contribute, and why. */
    public static ProbeResult empty(Diagnostic why) {
        return new ProbeResult(List.of(), List.of(why));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects entries and diagnostics while probing. Not thread-safe. */
    public static final class Builder {
        private final List<GuestArchitecture> guests = new ArrayList<>();
        private final List<Diagnostic> diagnostics = new ArrayList<>();

        public Builder guest(GuestArchitecture guest) {
            guests.add(guest);
            return this;
        }

        public Builder diagnostic(Diagnostic diagnostic) {
            diagnostics.add(diagnostic);
            return this;
        }

        public ProbeResult build() {
            return new ProbeResult(guests, diagnostics);
        }
    }
}
