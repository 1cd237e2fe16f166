package org.trajlab.api.probe;

/**
 * Update t of the run: theta_t moved to theta_{t+1} = theta_t - lr * g_t. Vectors are computed on first use and
 * shared by every probe of the step: do not modify them.
 */
public interface StepContext {
  /** t: updates done before this one */
  long step();

  /** 1-based epoch of this update */
  int epoch();

  double[] theta();

  double[] thetaNext();

  /** g_t, the mean mini-batch gradient used for this update */
  double[] gradient();

  /** g_{t-1}, or null for the first update */
  double[] previousGradient();

  double lr();

  int batchSize();

  /** the mean loss of the update's batch at theta_t */
  double batchLoss();

  /** the training-set indices of the update's batch */
  int[] batchIndices();

  /** rows written at this step under the given probe name */
  MetricSink sink(String probe);
}
