package org.trajlab.api.probe;

import org.trajlab.api.objective.Objective;
import org.trajlab.api.spec.RunSpec;

/** What a probe sees of the whole run. */
public interface RunContext {
  RunSpec spec();

  Objective objective();

  /** theta_0, the initial parameters (a copy the probe may keep) */
  double[] theta0();

  long totalSteps();

  /** a sink writing rows at the given step and epoch under the given probe name */
  MetricSink sink(String probe, long step, int epoch);

  /** a line in the run's log (probe costs go here) */
  void log(String line);

  /**
   * θ of another run of the same model: a run folder's latest checkpoint (a finished run's final one) or a checkpoint
   * folder's. Anything else (no such folder, another model) is one sentence.
   */
  default double[] parametersOf(String runOrCheckpoint) throws org.trajlab.api.spec.SpecException {
    throw new UnsupportedOperationException("this run cannot read other runs' parameters");
  }
}
