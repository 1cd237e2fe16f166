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

  /**
   * A probe that measures at a point rather than along an update (curvature, noise) says so here; a run with zero
   * training steps (a probe-only run) then calls {@link #onPoint} once, at the initial or loaded parameters. A probe
   * that needs updates (the walk) keeps the default and a probe-only run refuses it with a one-sentence error.
   */
  default boolean measuresPoints() {
    return false;
  }

  default void onPoint(long step, int epoch, double[] theta, RunContext run) throws Exception {
  }

  /**
   * True when the probe asks the objective for gradients or Hessian-vector products (curvature), false when it needs
   * losses only (the walk). A batch-norm model measured in inference mode has no gradients, so the runner refuses
   * such probes there with a one-sentence error.
   */
  default boolean usesGradients() {
    return false;
  }

  /**
   * The probe's accumulated state as JSON-friendly values (numbers, strings, lists, maps), stored in checkpoints so
   * a resumed run writes exactly the rows an uninterrupted one would.
   */
  default Map<String, Object> saveState() {
    return Map.of();
  }

  default void restoreState(Map<String, Object> state) {
  }
}
