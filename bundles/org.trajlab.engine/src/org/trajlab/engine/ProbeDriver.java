package org.trajlab.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.probe.GradientTransform;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.StepContext;

/**
 * The run's probes, called at the right moments: started once, asked which are due at each update, the gradient
 * handed to the probes that transform it (subspace SGD, Nudged SGD) before the optimizer sees it, each due probe
 * told about the update, each told when an epoch ends, a probe-only run's point measured, and their states saved
 * to and restored from checkpoints.
 */
final class ProbeDriver {
  private final List<Probe> probes;

  ProbeDriver(List<Probe> probes) {
    this.probes = List.copyOf(probes);
  }

  void start(RunContext run) throws Exception {
    for (Probe p : probes) p.start(run);
  }

  /** the probes due at update t */
  List<Probe> due(long step, int epoch) {
    List<Probe> due = new ArrayList<>();
    for (Probe p : probes) {
      if (p.isDue(step, epoch)) due.add(p);
    }
    return due;
  }

  /** some probe transforms update t's gradient */
  boolean transforms(long step, int epoch) {
    for (Probe p : probes) {
      if (p instanceof GradientTransform gt && gt.transforms(step, epoch)) return true;
    }
    return false;
  }

  /** each transforming probe in turn changes g (in place, in the training precision); theta is θ_t */
  void transform(long step, int epoch, double[] theta, INDArray g, RunContext run) throws Exception {
    for (Probe p : probes) {
      if (p instanceof GradientTransform gt && gt.transforms(step, epoch)) {
        double[] gd = g.toDoubleVector();
        gt.transform(step, epoch, theta, gd, run);
        INDArray changed = Nd4j.createFromArray(gd);
        INDArray cast = changed.reshape(g.shape()).castTo(g.dataType());
        g.assign(cast);
        if (cast != changed && cast.closeable()) cast.close();
        changed.close();
      }
    }
  }

  void onStep(List<Probe> due, StepContext step, RunContext run) throws Exception {
    for (Probe p : due) p.onStep(step, run);
  }

  /** a probe-only run: the probes that measure at a point, at theta */
  void onPoint(long step, int epoch, double[] theta, RunContext run) throws Exception {
    for (Probe p : probes) p.onPoint(step, epoch, theta, run);
  }

  void epochEnded(int epoch, long step, RunContext run) throws Exception {
    for (Probe p : probes) p.onEpochEnd(epoch, step, run);
  }

  /** each probe's summary entries, under its id */
  Map<String, Object> finish(RunContext run) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Probe p : probes) {
      Map<String, Object> ps = p.finish(run);
      if (!ps.isEmpty()) m.put(p.id(), ps);
    }
    return m;
  }

  /** each probe's state for a checkpoint, under its id */
  Map<String, Map<String, Object>> saveState() {
    Map<String, Map<String, Object>> m = new LinkedHashMap<>();
    for (Probe p : probes) {
      Map<String, Object> ps = p.saveState();
      if (!ps.isEmpty()) m.put(p.id(), ps);
    }
    return m;
  }

  void restoreState(Map<String, Map<String, Object>> states) {
    for (Probe p : probes) {
      Map<String, Object> s = states.get(p.id());
      if (s != null) p.restoreState(s);
    }
  }
}
