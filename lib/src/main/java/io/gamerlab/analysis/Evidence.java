package io.gamerlab.analysis;

import java.util.List;
import java.util.Optional;

/**
 * What one series of a dataset (a run, or a build's runs) holds for a {@link Measure}: the
 * control's and the variant's repetitions, in {@code unit} (after the measure's transform), with
 * the backend and clock they were measured on and the run-level context the measure quotes.
 * {@code order} sorts series from oldest to newest.
 */
public record Evidence(String series, String backend, String clock, String unit, Sample control, Sample variant,
                       List<String> context, String order) {

    public Evidence {
        context = List.copyOf(context);
    }

    /** Evidence for a measure, newest series first; or why a dataset holds none. */
    public record Search(List<Evidence> series, Optional<String> absence) {

        static Search found(List<Evidence> series) {
            return new Search(List.copyOf(series), Optional.empty());
        }

        static Search absent(String why) {
            return new Search(List.of(), Optional.of(why));
        }
    }
}
