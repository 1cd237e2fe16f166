package org.trajlab.api.spec;

/** The update rule. {@code sgd}: theta_{t+1} = theta_t - lr * g_t with g_t the MEAN mini-batch gradient. */
public class OptimizerSpec {
  public String type = "sgd";
  public double lr = 0.1;
}
