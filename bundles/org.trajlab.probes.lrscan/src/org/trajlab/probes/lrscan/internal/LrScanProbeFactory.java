package org.trajlab.probes.lrscan.internal;

import java.util.Set;

import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeFactory;
import org.trajlab.api.probe.ProbeParams;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;

/**
 * params: {@code grid} ({@code log}, or {@code linear}), {@code points} (21, including λ = 0), {@code decades} (3: the
 * log grid's smallest non-zero λ is λ_max·10^−decades), {@code lambdaMax} (an absolute λ_max) or {@code lambdaMaxLr}
 * (λ_max as a multiple of the update's learning rate, default 10), {@code set} (E: {@code train-eval}), {@code seed}
 * (the held-out batches'; the run's).
 */
public final class LrScanProbeFactory implements ProbeFactory {
  @Override
  public Probe create(ProbeSpec spec, String field) throws SpecException {
    ProbeParams p = new ProbeParams(spec.params, field,
        Set.of("grid", "points", "decades", "lambdaMax", "lambdaMaxLr", "set", "seed"));
    String grid = p.string("grid", "log", Set.of("log", "linear"));
    int points = p.integer("points", 21, 2, 10_000);
    double decades = p.number("decades", 3);
    Specs.require(decades > 0 && decades <= 12, field + ".params.decades", "Field '" + field + ".params.decades' must be in"
        + " (0, 12], but it is " + decades);
    Specs.require(!(p.has("lambdaMax") && p.has("lambdaMaxLr")), field + ".params.lambdaMax", "Give '" + field
        + ".params' either lambdaMax or lambdaMaxLr, not both");
    double lambdaMax = p.has("lambdaMax") ? p.number("lambdaMax", 1) : Double.NaN;
    double lambdaMaxLr = p.number("lambdaMaxLr", 10);
    Specs.require(Double.isNaN(lambdaMax) || lambdaMax > 0, field + ".params.lambdaMax", "Field '" + field
        + ".params.lambdaMax' must be positive, but it is " + lambdaMax);
    Specs.require(lambdaMaxLr > 0, field + ".params.lambdaMaxLr", "Field '" + field
        + ".params.lambdaMaxLr' must be positive, but it is " + lambdaMaxLr);
    String set = p.string("set", "train-eval", Set.of("train-eval", "test", "train-full"));
    Long seed = p.has("seed") ? (long) p.integer("seed", 0, 0, Integer.MAX_VALUE) : null;
    return new LrScanProbe(new Schedule(spec.schedule), grid, points, decades, lambdaMax, lambdaMaxLr, set, seed);
  }
}
