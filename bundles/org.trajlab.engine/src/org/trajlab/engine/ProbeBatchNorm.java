package org.trajlab.engine;

/**
 * How probes treat batch normalisation (spec field {@code batchNorm}): in train mode ({@code train} true) each view
 * is measured as the mean over a seeded partition into batches of {@code batchSize} examples (the run's S), each
 * normalised with its own statistics, as SGD experiences them; in inference mode with the running statistics.
 * Irrelevant for models without batch normalisation.
 *
 * @param seed seeds the partition of each view into batches (fixed for the run)
 */
public record ProbeBatchNorm(boolean train, int batchSize, long seed) {
  public ProbeBatchNorm {
    if (train && batchSize < 1) throw new IllegalArgumentException("the batch size of train-mode batch norm must be positive");
  }

  /** train mode over batches of {@code batchSize} */
  public static ProbeBatchNorm train(int batchSize, long seed) {
    return new ProbeBatchNorm(true, batchSize, seed);
  }

  /** the running statistics */
  public static ProbeBatchNorm inference() {
    return new ProbeBatchNorm(false, 0, 0);
  }

  /**
   * the running statistics for probe quantities; {@code batchSize} and {@code seed} still cut the batches of a
   * recomputation of the statistics ({@link Dl4jObjective#withRecomputedBatchNorm})
   */
  public static ProbeBatchNorm inference(int batchSize, long seed) {
    return new ProbeBatchNorm(false, batchSize, seed);
  }

  /** S of the batches that recompute running statistics: the run's batch size (100 when unknown) */
  public int recomputeBatchSize() {
    return batchSize > 0 ? batchSize : 100;
  }

  /** "train" or "inference" */
  public String mode() {
    return train ? "train" : "inference";
  }
}
