package org.trajlab.probes.averaging.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeFactory;
import org.trajlab.api.probe.ProbeParams;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.probes.averaging.AveragingQuantities;

/**
 * params: {@code averages} (a list of {@code ema}, {@code swa}, {@code twopoint}, {@code multipoint}; default all),
 * {@code beta} (EMA decay, 0.99), {@code swaEvery} (c, 10), {@code swaSnapshots} (n, 0 = no limit), {@code swaStart}
 * (the first snapshot's step; default the first step the probe sees), {@code k} (two-point distance, 10),
 * {@code multiN} (5), {@code multiK} (k), {@code sets} (a list of {@code train-eval}, {@code test},
 * {@code train-full}; default train-eval and test), {@code bnView} (where batch-norm statistics are recomputed:
 * {@code train-eval} or {@code train-full}; default train-eval).
 */
public final class AveragingProbeFactory implements ProbeFactory {
  static final Set<String> SETS = Set.of("train-eval", "test", "train-full");

  @Override
  public Probe create(ProbeSpec spec, String field) throws SpecException {
    ProbeParams p = new ProbeParams(spec.params, field, Set.of("averages", "beta", "swaEvery", "swaSnapshots",
        "swaStart", "k", "multiN", "multiK", "sets", "bnView"));
    List<String> averages = list(spec.params.get("averages"), field + ".params.averages", AveragingQuantities.AVERAGES,
        AveragingQuantities.AVERAGES);
    double beta = p.fraction("beta", 0.99);
    int swaEvery = p.integer("swaEvery", 10, 1, Integer.MAX_VALUE);
    int swaSnapshots = p.integer("swaSnapshots", 0, 0, Integer.MAX_VALUE);
    long swaStart = p.has("swaStart") ? p.integer("swaStart", 0, 0, Integer.MAX_VALUE) : -1;
    int k = p.integer("k", 10, 1, Integer.MAX_VALUE);
    int multiN = p.integer("multiN", 5, 2, 1000);
    int multiK = p.integer("multiK", k, 1, Integer.MAX_VALUE);
    List<String> sets = list(spec.params.get("sets"), field + ".params.sets", List.copyOf(new java.util.TreeSet<>(SETS)),
        List.of("train-eval", "test"));
    String bnView = p.string("bnView", "train-eval", Set.of("train-eval", "train-full"));
    return new AveragingProbe(new Schedule(spec.schedule), new AveragingProbe.Settings(averages, beta, swaEvery,
        swaSnapshots, swaStart, k, multiN, multiK, sets, bnView));
  }

  /** a list param of distinct names from {@code allowed}; absent: {@code dflt} */
  private static List<String> list(Object v, String f, List<String> allowed, List<String> dflt) throws SpecException {
    if (v == null) return dflt;
    String sentence = "Field '" + f + "' must be a non-empty list of distinct names from " + String.join(", ", allowed)
        + ", but it is " + v + ".";
    if (!(v instanceof List<?> l) || l.isEmpty()) throw new SpecException(f, sentence);
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      if (!(o instanceof String s) || !allowed.contains(s) || out.contains(s)) throw new SpecException(f, sentence);
      out.add(s);
    }
    return List.copyOf(out);
  }
}
