package org.trajlab.probes.curvature.internal;

import java.util.Set;

import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeFactory;
import org.trajlab.api.probe.ProbeParams;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;

/**
 * params of {@code curvature}: those of {@link HessianSettings} (k default 10) and {@code hutchinson} (probe
 * vectors, 0 = off), {@code density} (true/false), {@code densitySteps}, {@code densityVectors},
 * {@code densitySigma}, {@code densityPoints}, {@code lossAlongTop} (true/false), {@code kPoints},
 * {@code stepTest} (true/false), {@code batches} - see {@link CurvatureProbe}.
 */
public final class CurvatureProbeFactory implements ProbeFactory {
  static final Set<String> PARAMS = HessianSettings.with("hutchinson", "density", "densitySteps", "densityVectors",
      "densitySigma", "densityPoints", "lossAlongTop", "kPoints", "stepTest", "batches");

  @Override
  public Probe create(ProbeSpec spec, String field) throws SpecException {
    ProbeParams p = new ProbeParams(spec.params, field, PARAMS);
    String f = field + ".params";
    HessianSettings hs = HessianSettings.parse(p, field, 10);
    double sigma = p.number("densitySigma", 0.01);
    if (!(sigma > 0)) {
      throw new SpecException(f + ".densitySigma", "Field '" + f + ".densitySigma' must be a positive number, but it is "
          + sigma + ".");
    }
    CurvatureProbe.Extras x = new CurvatureProbe.Extras(p.integer("hutchinson", 0, 0, 100_000),
        p.flag("density", false), p.integer("densitySteps", 80, 2, 10_000),
        p.integer("densityVectors", 1, 1, 1000), sigma, p.integer("densityPoints", 201, 2, 100_000),
        p.flag("lossAlongTop", true), p.integer("kPoints", 17, 2, 1001),
        p.flag("stepTest", true), p.integer("batches", 10, 1, 10_000));
    return new CurvatureProbe(new Schedule(spec.schedule), hs, x);
  }
}
