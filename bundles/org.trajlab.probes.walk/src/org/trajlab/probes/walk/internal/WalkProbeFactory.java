package org.trajlab.probes.walk.internal;

import java.util.Set;

import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeFactory;
import org.trajlab.api.probe.ProbeParams;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;

/**
 * params: {@code points} interior interpolation points (default 10), {@code set} the evaluation set (train-eval),
 * {@code barrierTol} the relative barrier tolerance, a number in (0, 1) (default by the objective's precision: float
 * 1e-5, double 1e-10, see {@link WalkMath#defaultBarrierTol}).
 */
public final class WalkProbeFactory implements ProbeFactory {
  @Override
  public Probe create(ProbeSpec spec, String field) throws SpecException {
    ProbeParams p = new ProbeParams(spec.params, field, Set.of("points", "set", "barrierTol"));
    int points = p.integer("points", 10, 1, 1000);
    String set = p.string("set", "train-eval", Set.of("train-eval", "test", "train-full"));
    Double barrierTol = p.has("barrierTol") ? p.fraction("barrierTol", Double.NaN) : null;
    return new WalkProbe(new Schedule(spec.schedule), points, set, barrierTol);
  }
}
