package org.trajlab.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.StepContext;

/**
 * Update t as probes see it, right after the optimizer applied it: θ_t (taken before the gradient moved batch
 * norm's statistics), θ_{t+1}, g_t and g_{t−1}, η, the batch. The vectors are converted to double on first use.
 */
final class UpdateStep implements StepContext {
  private final long step;
  private final int epoch;
  private final double[] theta;
  private final INDArray paramsNext;
  private final INDArray g;
  private final INDArray prev;
  private final double lr;
  private final int[] batch;
  private final double batchLoss;
  private final RunContext run;
  private double[] thetaNext;
  private double[] grad;
  private double[] prevGrad;

  UpdateStep(long step, int epoch, double[] theta, INDArray paramsNext, INDArray g, INDArray prev, double lr,
      int[] batch, double batchLoss, RunContext run) {
    this.step = step;
    this.epoch = epoch;
    this.theta = theta;
    this.paramsNext = paramsNext;
    this.g = g;
    this.prev = prev;
    this.lr = lr;
    this.batch = batch;
    this.batchLoss = batchLoss;
    this.run = run;
  }

  @Override
  public long step() {
    return step;
  }

  @Override
  public int epoch() {
    return epoch;
  }

  @Override
  public double[] theta() {
    return theta;
  }

  @Override
  public double[] thetaNext() {
    if (thetaNext == null) thetaNext = paramsNext.toDoubleVector();
    return thetaNext;
  }

  @Override
  public double[] gradient() {
    if (grad == null) grad = g.toDoubleVector();
    return grad;
  }

  @Override
  public double[] previousGradient() {
    if (prev == null) return null;
    if (prevGrad == null) prevGrad = prev.toDoubleVector();
    return prevGrad;
  }

  @Override
  public double lr() {
    return lr;
  }

  @Override
  public int batchSize() {
    return batch.length;
  }

  @Override
  public double batchLoss() {
    return batchLoss;
  }

  @Override
  public int[] batchIndices() {
    return batch;
  }

  @Override
  public MetricSink sink(String probe) {
    return run.sink(probe, step, epoch);
  }
}
