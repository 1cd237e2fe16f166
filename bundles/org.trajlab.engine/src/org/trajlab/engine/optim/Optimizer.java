package org.trajlab.engine.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.spec.OptimizerSpec;

/**
 * The update rule on the flat parameter view (see {@link OptimizerSpec}): plain SGD or heavy-ball / Nesterov
 * momentum, with L2 weight decay. Full-batch and noisy gradient descent differ in the gradient they are given, not in
 * the update, so they use the plain rule here. The momentum buffer is the only state; checkpoints keep it.
 */
public final class Optimizer {
  /** the update rules (optimizer.type): the one place a new one is named */
  public static final java.util.Set<String> TYPES = java.util.Set.of("sgd", "momentum", "gd", "gd-noise");
  private final boolean momentum;
  private final boolean nesterov;
  private final double mu;
  private final double weightDecay;
  private INDArray velocity;
  private INDArray mask;
  private INDArray scratch;

  public Optimizer(OptimizerSpec spec) {
    this.momentum = "momentum".equals(spec.type);
    this.nesterov = spec.nesterov;
    this.mu = spec.momentum;
    this.weightDecay = spec.weightDecay;
  }

  /**
   * Marks the entries the update may move (1) and those it must leave alone (0: batch-norm running statistics,
   * whose gradient is 0 but which weight decay would otherwise shrink); null = all entries are parameters.
   */
  public void mask(INDArray trainable) {
    this.mask = trainable;
  }

  /**
   * theta &lt;- theta - lr * step(g), in place; g is not changed. Works in place through BLAS axpy on a scratch
   * buffer: a step allocates nothing (temporaries left to the garbage collector pile up off-heap and cost GC pauses).
   */
  public void apply(INDArray params, INDArray g, double lr) {
    if (!momentum && weightDecay == 0) {
      axpy(-lr, g, params); // plain SGD: nothing to add to g, so no copy of it
      return;
    }
    if (scratch == null || scratch.length() != g.length() || scratch.dataType() != g.dataType()) scratch = g.ulike();
    INDArray d = scratch.assign(g);
    if (weightDecay != 0) {
      if (mask == null) {
        axpy(weightDecay, params, d);
      } else {
        INDArray pm = params.mul(mask);
        axpy(weightDecay, pm, d);
        pm.close();
      }
    }
    if (!momentum) {
      axpy(-lr, d, params);
      return;
    }
    if (velocity == null) {
      velocity = d.dup();
    } else {
      velocity.muli(mu).addi(d);
    }
    if (nesterov) {
      axpy(mu, velocity, d);
      axpy(-lr, d, params);
    } else {
      axpy(-lr, velocity, params);
    }
  }

  /** y &lt;- y + alpha x, in place */
  private static void axpy(double alpha, INDArray x, INDArray y) {
    Nd4j.getBlasWrapper().level1().axpy(y.length(), alpha, x.reshape(y.shape()), y);
  }

  /** the momentum buffer, or null (plain SGD, or before the first update) */
  public INDArray velocity() {
    return velocity;
  }

  public void restoreVelocity(INDArray v) {
    this.velocity = v == null ? null : v.dup();
  }
}
