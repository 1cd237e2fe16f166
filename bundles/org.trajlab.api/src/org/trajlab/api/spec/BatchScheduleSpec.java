package org.trajlab.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A batch-size schedule. {@code constant}: training.batchSize. {@code mirror}: with the learning rate held at the
 * optimizer's lr, the batch size S(x) = round(batchSize * lr / eta(x)) makes eta/S follow the same curve as the
 * learning-rate schedule {@code of} would with batchSize (cyclic and discrete batch sizes of paper 002 section 4.2).
 * Sizes are clamped to [1, training-set size].
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BatchScheduleSpec {
  public String type = "constant";
  public RateScheduleSpec of;
}
