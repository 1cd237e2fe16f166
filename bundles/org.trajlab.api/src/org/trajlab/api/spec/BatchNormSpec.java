package org.trajlab.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How probes measure a model with batch normalisation (INSTRUMENTS.md conventions; ignored for models without it).
 * <ul>
 * <li>{@code mode} "train" (default): every probe quantity (losses, accuracies, gradients, Hessian-vector products)
 * is the mean over a fixed seeded partition of the probe's data into batches of {@code batchSize} examples, each
 * normalised with its own statistics, as SGD experiences them (papers 000 and 001);</li>
 * <li>{@code mode} "inference": losses and accuracies with the running statistics over the whole set (what a deployed
 * model computes); probes that need gradients are refused in this mode.</li>
 * </ul>
 * The engine's {@code eval} rows always use the running statistics. The resolved spec records the batch size.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BatchNormSpec {
  public String mode = "train";
  /** S of the probes' batches; null = the run's {@code training.batchSize} */
  public Integer batchSize;
}
