package org.trajlab.api.run;

/** Progress and cancellation between a running experiment and whoever started it (a console, an Eclipse Job). */
public interface RunMonitor {
  RunMonitor NONE = new RunMonitor() {
  };

  /**
   * The run begins: it stands at update {@code fromStep} (0 for a fresh run, the checkpoint's update count when it
   * resumes or starts from a checkpoint) and trains until {@code totalSteps}; equal for a probe-only run (no
   * training). Only {@code totalSteps - fromStep} updates happen in this call.
   */
  default void started(long fromStep, long totalSteps) {
  }

  /** called after every update; cheap implementations only */
  default void progress(long step, long totalSteps, int epoch, double batchLoss) {
  }

  /** a line worth showing (evaluation results, probe costs) */
  default void message(String line) {
  }

  default boolean isCancelled() {
    return false;
  }
}
