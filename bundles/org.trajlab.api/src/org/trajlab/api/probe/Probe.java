package org.trajlab.api.probe;

import java.util.Map;

/**
 * An instrument that measures along the trajectory. The engine calls {@link #start} once before training,
 * {@link #onStep} for every update the probe says is due, {@link #onEpochEnd} after each epoch, and
 * {@link #finish} at the end. Probes compute through {@link RunContext#objective()} only.
 */
public interface Probe {
  /** the probe column of its rows (its registered type) */
  String id();

  default void start(RunContext run) throws Exception {
  }

  boolean isDue(long step, int epoch);

  void onStep(StepContext step, RunContext run) throws Exception;

  default void onEpochEnd(int epoch, long step, RunContext run) throws Exception {
  }

  /** called once after the last update; returns entries for summary.json */
  default Map<String, Object> finish(RunContext run) throws Exception {
    return Map.of();
  }
}
