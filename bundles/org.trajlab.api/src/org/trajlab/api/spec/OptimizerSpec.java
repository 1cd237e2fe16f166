package org.trajlab.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The update rule, applied by the engine to the flat parameter vector; g is the MEAN mini-batch gradient.
 * <ul>
 * <li>{@code sgd}: theta -= lr (g + weightDecay theta);</li>
 * <li>{@code momentum}: heavy ball v = momentum v + g + weightDecay theta, theta -= lr v; with {@code nesterov},
 * theta -= lr (g + weightDecay theta + momentum v) (the PyTorch convention);</li>
 * <li>{@code gd}: full-batch gradient descent: g over the whole training set, summed in chunks of {@code gdChunk};</li>
 * <li>{@code gd-noise}: full-batch g plus isotropic Gaussian noise N(0, sigma^2 I) with sigma^2 = noiseFactor x the
 * largest per-parameter variance of mini-batch gradients (batch size training.batchSize, {@code noiseBatches} of
 * them) at initialisation (paper 000 section 4); the run records sigma^2.</li>
 * </ul>
 * Weight decay is the L2 term's gradient; losses in the metrics never include the L2 term.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OptimizerSpec {
  public String type = "sgd";
  public double lr = 0.1;
  public double momentum = 0.9;
  public boolean nesterov = false;
  public double weightDecay = 0;
  public int gdChunk = 5000;
  public double noiseFactor = 0.1;
  public int noiseBatches = 25;
  /** null = constant */
  public RateScheduleSpec lrSchedule;
}
