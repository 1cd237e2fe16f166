package org.trajlab.probes.lrscan.internal;

import static org.trajlab.probes.lrscan.LrScanQuantities.*;

import java.util.LinkedHashMap;
import java.util.Map;

import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.probe.StepContext;

/**
 * Branches after a shared burn-in (paper 003, INSTRUMENTS.md §4): the distance from each measured point θ_t of this
 * run to the endpoint θ_other of another run ({@code to}: its folder, i.e. its final checkpoint, or a checkpoint
 * folder), over the parameters of the loss (batch-norm statistics left out), as {@code dist_to_endpoint}. A branch
 * is a run started from the other run's checkpoint ({@code start.checkpoint}) with another {@code training.batchSeed}.
 */
public final class BranchProbe implements Probe {
  private final Schedule schedule;
  private final String to;
  private double[] other;
  private boolean[] trainable;
  private long points;

  public BranchProbe(Schedule schedule, String to) {
    this.schedule = schedule;
    this.to = to;
  }

  @Override
  public String id() {
    return BRANCH;
  }

  @Override
  public void start(RunContext run) throws Exception {
    other = run.parametersOf(to);
    trainable = run.objective().trainable();
  }

  @Override
  public boolean isDue(long step, int epoch) {
    return schedule.due(step, epoch);
  }

  @Override
  public boolean measuresPoints() {
    return true;
  }

  @Override
  public void onStep(StepContext step, RunContext run) {
    measure(step.theta(), step.sink(BRANCH));
  }

  @Override
  public void onPoint(long step, int epoch, double[] theta, RunContext run) {
    measure(theta, run.sink(BRANCH, step, epoch));
  }

  /** ‖θ − θ_other‖ over the entries marked trainable */
  static double distance(double[] theta, double[] other, boolean[] trainable) {
    double s = 0;
    for (int i = 0; i < theta.length; i++) {
      if (trainable[i]) s += (theta[i] - other[i]) * (theta[i] - other[i]);
    }
    return Math.sqrt(s);
  }

  private void measure(double[] theta, MetricSink sink) {
    sink.record(DIST_TO_ENDPOINT, distance(theta, other, trainable));
    points++;
  }

  @Override
  public Map<String, Object> finish(RunContext run) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("to", to);
    m.put("points", points);
    return m;
  }
}
