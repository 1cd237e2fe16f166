package org.trajlab.api.objective;

/**
 * One named parameter of the model in the flat layout: {@code length} entries from {@code offset}, in the order the
 * model stores them. Names are the layer's parameter names ({@code 0_W}, {@code 0_b}, {@code 3_gamma},
 * {@code 3_beta}, {@code 3_mean}, {@code 3_var}, {@code stage1_block0_bn1_gamma}, ...): probes find a quantity of one
 * kind of parameter by its name, such as the norm of the last batch-norm layer's scale γ (paper 004).
 *
 * @param name the layer's parameter name
 */
public record ParameterBlock(String name, long offset, int length) {

  /** whether this block is a batch-norm layer's scale γ (its name ends in {@code gamma}) */
  public boolean isBatchNormScale() {
    return name.equals("gamma") || name.endsWith("_gamma");
  }

  /** this block's entries of {@code theta} */
  public double[] of(double[] theta) {
    return java.util.Arrays.copyOfRange(theta, (int) offset, (int) offset + length);
  }
}
