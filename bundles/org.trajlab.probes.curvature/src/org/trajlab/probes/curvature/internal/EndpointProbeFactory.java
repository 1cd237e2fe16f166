package org.trajlab.probes.curvature.internal;

import java.util.Set;

import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeFactory;
import org.trajlab.api.probe.ProbeParams;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;

/**
 * params: {@code monitor} (the validation quantity: {@code acc_test} (default), {@code loss_test},
 * {@code acc_held_out}, {@code loss_held_out}, {@code acc_train_eval}, {@code loss_train_eval}) and the Hessian params
 * of {@link HessianSettings} ({@code k} 5).
 */
public final class EndpointProbeFactory implements ProbeFactory {
  static final Set<String> MONITORS = Set.of("acc_test", "loss_test", "acc_held_out", "loss_held_out", "acc_train_eval",
      "loss_train_eval");

  @Override
  public Probe create(ProbeSpec spec, String field) throws SpecException {
    ProbeParams p = new ProbeParams(spec.params, field, HessianSettings.with("monitor"));
    String monitor = p.string("monitor", "acc_test", MONITORS);
    return new EndpointProbe(new Schedule(spec.schedule), HessianSettings.parse(p, field, 5), monitor);
  }
}
