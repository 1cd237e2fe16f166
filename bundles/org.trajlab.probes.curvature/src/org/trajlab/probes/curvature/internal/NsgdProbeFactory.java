package org.trajlab.probes.curvature.internal;

import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeFactory;
import org.trajlab.api.probe.ProbeParams;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;

/** params of {@code nsgd}: {@code gamma} (required), {@code every} (updates; default: each epoch), and those of {@link HessianSettings} (k default 5). */
public final class NsgdProbeFactory implements ProbeFactory {
  @Override
  public Probe create(ProbeSpec spec, String field) throws SpecException {
    ProbeParams p = new ProbeParams(spec.params, field, HessianSettings.with("gamma", "every"));
    p.required("gamma", "the factor on the learning rate along the top K eigenvectors");
    double gamma = p.number("gamma", 1);
    if (!Double.isFinite(gamma)) {
      String f = field + ".params.gamma";
      throw new SpecException(f, "Field '" + f + "' must be a finite number, but it is " + gamma + ".");
    }
    int every = p.integer("every", 0, 1, Integer.MAX_VALUE);
    return new NsgdProbe(new Schedule(spec.schedule), HessianSettings.parse(p, field, 5), gamma, every);
  }
}
