package org.trajlab.api.objective;

/**
 * Receives gradients streamed one at a time by {@link Objective#groupGradients}: the mean gradient of group
 * {@code group} and that group's mean loss. The array is the objective's and is reused for the next group: copy what
 * you keep.
 */
@FunctionalInterface
public interface GradientSink {
  void accept(int group, double[] gradient, double loss);
}
