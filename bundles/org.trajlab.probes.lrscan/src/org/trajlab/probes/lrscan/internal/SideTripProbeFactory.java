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
 * params: {@code steps} (k, 10), {@code lr} (the side steps' rate; default the update's), {@code batchSize} (of B and
 * B′; the spec's), {@code points} (interior α points of the line between consecutive endpoints, 5), {@code set} (E:
 * {@code train-eval}), {@code seed} (B's and B′'s; the run's).
 */
public final class SideTripProbeFactory implements ProbeFactory {
  @Override
  public Probe create(ProbeSpec spec, String field) throws SpecException {
    ProbeParams p = new ProbeParams(spec.params, field, Set.of("steps", "lr", "batchSize", "points", "set", "seed"));
    int steps = p.integer("steps", 10, 1, 100_000);
    double lr = p.has("lr") ? p.number("lr", Double.NaN) : Double.NaN;
    Specs.require(Double.isNaN(lr) || lr > 0, field + ".params.lr", "Field '" + field + ".params.lr' must be positive,"
        + " but it is " + lr);
    int batchSize = p.integer("batchSize", 0, 1, Integer.MAX_VALUE);
    int points = p.integer("points", 5, 0, 1000);
    String set = p.string("set", "train-eval", Set.of("train-eval", "test", "train-full"));
    Long seed = p.has("seed") ? (long) p.integer("seed", 0, 0, Integer.MAX_VALUE) : null;
    return new SideTripProbe(new Schedule(spec.schedule), steps, lr, batchSize, points, set, seed);
  }
}
