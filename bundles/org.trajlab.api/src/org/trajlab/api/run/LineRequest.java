package org.trajlab.api.run;

import java.nio.file.Path;
import java.util.List;

/**
 * A line between two runs' parameters (paper 002, INSTRUMENTS.md §3): θ(α) = (1 − α)θ_A + αθ_B for {@code points}
 * values of α spread evenly over [{@code from}, {@code to}] (0 and 1 are always among them), evaluated on
 * {@code sets}. {@code a} and {@code b} are run folders (their latest checkpoint, the final one of a finished run) or
 * checkpoint folders ({@code RUN/checkpoints/step-NNNNNNNN}). {@code out} is the folder the result goes to (new or
 * empty). {@code batchNormView} is the training data batch normalisation's running statistics are recomputed on at
 * every α ({@code train-full} or {@code train-eval}; irrelevant without batch normalisation).
 */
public record LineRequest(Path a, Path b, Path out, int points, double from, double to, List<String> sets,
    String batchNormView) {
  public static final int DEFAULT_POINTS = 31;
  public static final double DEFAULT_FROM = -1;
  public static final double DEFAULT_TO = 2;
  public static final List<String> DEFAULT_SETS = List.of("train-eval", "test");
  public static final String DEFAULT_BATCH_NORM_VIEW = "train-full";

  /** the defaults: 31 points on [−1, 2] (α = −1, −0.9, …, 2), train-eval and test, statistics on train-full */
  public static LineRequest of(Path a, Path b, Path out) {
    return new LineRequest(a, b, out, DEFAULT_POINTS, DEFAULT_FROM, DEFAULT_TO, DEFAULT_SETS, DEFAULT_BATCH_NORM_VIEW);
  }
}
