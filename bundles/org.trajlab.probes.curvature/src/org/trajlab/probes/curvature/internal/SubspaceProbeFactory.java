package org.trajlab.probes.curvature.internal;

import java.util.Set;

import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeFactory;
import org.trajlab.api.probe.ProbeParams;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;

/** params of {@code subspace}: {@code mode} (required: top-only, constant-top, no-top), {@code every} (default 1), and those of {@link HessianSettings} (k default 1). */
public final class SubspaceProbeFactory implements ProbeFactory {
  static final Set<String> MODES = Set.of("top-only", "constant-top", "no-top");

  @Override
  public Probe create(ProbeSpec spec, String field) throws SpecException {
    ProbeParams p = new ProbeParams(spec.params, field, HessianSettings.with("mode", "every"));
    p.required("mode", "one of constant-top, no-top, top-only");
    String mode = p.string("mode", null, MODES);
    int every = p.integer("every", 1, 1, Integer.MAX_VALUE);
    return new SubspaceProbe(new Schedule(spec.schedule), HessianSettings.parse(p, field, 1), mode, every);
  }
}
