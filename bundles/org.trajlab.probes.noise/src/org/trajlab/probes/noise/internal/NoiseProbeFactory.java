package org.trajlab.probes.noise.internal;

import java.util.Set;

import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeFactory;
import org.trajlab.api.probe.ProbeParams;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;

/** params of {@code noise}: see {@link NoiseProbe.Settings}. */
public final class NoiseProbeFactory implements ProbeFactory {
  static final Set<String> PARAMS = Set.of("L", "M", "examples", "k", "view", "seed", "eigenvectors", "deltaEvery",
      "breakEven", "hessianK", "hessianSubset", "hessianView", "hessianTol", "hessianMaxHvps", "curvatureExamples",
      "peakWindow", "negativeRun", "gramPrecision");

  @Override
  public Probe create(ProbeSpec spec, String field) throws SpecException {
    ProbeParams p = new ProbeParams(spec.params, field, PARAMS);
    String f = field + ".params";
    boolean all = "all".equals(p.string("examples", "batches", Set.of("batches", "all")));
    if (all && p.has("L")) {
      throw new SpecException(f + ".L", "Fields '" + f + ".L' and '" + f + ".examples' \"all\" exclude each other:"
          + " with every example once, L is the view's size over M.");
    }
    int l = p.integer("L", 25, 2, 100_000);
    int m = p.integer("M", 128, 1, 10_000_000);
    int k = p.integer("k", 10, 1, 100_000);
    String view = p.string("view", "train-full", Set.of("train-eval", "train-full", "test"));
    Long seed = p.has("seed") ? (long) p.integer("seed", 0, 0, Integer.MAX_VALUE) : null;
    boolean eigenvectors = p.flag("eigenvectors", true);
    int deltaEvery = p.integer("deltaEvery", 0, 0, Integer.MAX_VALUE);
    boolean breakEven = p.flag("breakEven", true);
    int hessianK = p.integer("hessianK", 1, 1, 30);
    Integer hessianSubset = p.has("hessianSubset") ? p.integer("hessianSubset", 0, 1, 10_000_000) : null;
    String hessianView = p.has("hessianView") ? p.string("hessianView", null, Set.of("train-eval", "train-full", "test"))
        : null;
    if (hessianSubset != null && hessianView != null) {
      throw new SpecException(f + ".hessianView", "Fields '" + f + ".hessianSubset' and '" + f
          + ".hessianView' exclude each other; give one.");
    }
    double hessianTol = p.fraction("hessianTol", 1e-3);
    int hessianMaxHvps = p.integer("hessianMaxHvps", 1000, 1, 10_000_000);
    int curvatureExamples = p.integer("curvatureExamples", 256, 2, 10_000_000);
    int peakWindow = p.integer("peakWindow", 5, 1, 10_001);
    if (peakWindow % 2 == 0) {
      throw new SpecException(f + ".peakWindow", "Field '" + f + ".peakWindow' must be odd (a centred window), but it is "
          + peakWindow + ".");
    }
    int negativeRun = p.integer("negativeRun", 5, 1, 100_000);
    String gramPrecision = p.string("gramPrecision", "double", Set.of("double", "training"));
    return new NoiseProbe(new Schedule(spec.schedule), new NoiseProbe.Settings(l, m, all, k, view, seed, eigenvectors,
        deltaEvery, breakEven, hessianK, hessianSubset, hessianView, hessianTol, hessianMaxHvps, curvatureExamples,
        peakWindow, negativeRun, gramPrecision));
  }
}
