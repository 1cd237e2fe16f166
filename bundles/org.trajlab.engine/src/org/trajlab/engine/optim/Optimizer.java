package org.trajlab.engine.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.trajlab.api.spec.OptimizerSpec;

/**
 * The update rule on the flat parameter view (see {@link OptimizerSpec}): plain SGD or heavy-ball / Nesterov
 * momentum, with L2 weight decay. Full-batch and noisy gradient descent differ in the gradient they are given, not in
 * the update, so they use the plain rule here. The momentum buffer is the only state; checkpoints keep it.
 */
public final class Optimizer {
  private final boolean momentum;
  private final boolean nesterov;
  private final double mu;
  private final double weightDecay;
  private INDArray velocity;
  private INDArray mask;

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

  /** theta &lt;- theta - lr * step(g), in place; g is not changed */
  public void apply(INDArray params, INDArray g, double lr) {
    INDArray d = weightDecay == 0 ? g : g.add(mask == null ? params.mul(weightDecay) : params.mul(mask).muli(weightDecay));
    if (!momentum) {
      params.subi(d.mul(lr));
      return;
    }
    if (velocity == null) {
      velocity = d.dup();
    } else {
      velocity.muli(mu).addi(d);
    }
    params.subi((nesterov ? d.add(velocity.mul(mu)) : velocity).mul(lr));
  }

  /** the momentum buffer, or null (plain SGD, or before the first update) */
  public INDArray velocity() {
    return velocity;
  }

  public void restoreVelocity(INDArray v) {
    this.velocity = v == null ? null : v.dup();
  }
}
