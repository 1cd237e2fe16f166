package org.trajlab.api.run;

/** Progress and cancellation between a running experiment and whoever started it (a console, an Eclipse Job). */
public interface RunMonitor {
  RunMonitor NONE = new RunMonitor() {
  };

  default void started(long totalSteps) {
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
