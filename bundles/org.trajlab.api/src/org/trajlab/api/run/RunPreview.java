package org.trajlab.api.run;

import java.nio.file.Path;

/**
 * What a spec will do, found without training (for the wizards: data checks as you type, the schedule plot, probe
 * costs): the data set as the engine found it (folder, example shape, classes, the sizes of the files and of the sets
 * the run uses) and the update plan: η, S and the 1-based epoch of every update t in [0, totalSteps) as the engine's
 * step plan computes them. A plateau schedule depends on evaluations, so its η is the starting value throughout.
 * A run from a checkpoint ({@code start.checkpoint}) begins at {@code startStep}; the arrays still count from 0.
 *
 * @param dataset       the spec's data set name
 * @param dataTitle     its name for people, e.g. "Fashion-MNIST"
 * @param dataDir       the folder the files are read from (null for generated data)
 * @param channels      channels per example
 * @param rows          rows per example (1 for vectors)
 * @param cols          columns per example
 * @param classes       classes K (0 when the data has no labels)
 * @param trainFileSize examples in the training file(s)
 * @param testFileSize  examples in the test file
 * @param trainSize     examples the run trains on (after subsets and the held-out split)
 * @param heldOutSize   examples of the held-out split (0 = none)
 * @param testSize      examples of the test set
 * @param startStep     the update the run starts at (the checkpoint's, else 0)
 * @param lr            η of update t
 * @param batchSize     S of update t
 * @param epoch         the 1-based epoch of update t
 * @param trainClassCounts how many of the examples the run trains on are of each class 0..K-1 (the files' labels,
 *                      before any label corruption); null when the data has no classes
 */
public record RunPreview(String dataset, String dataTitle, Path dataDir, int channels, int rows, int cols, int classes,
    int trainFileSize, int testFileSize, int trainSize, int heldOutSize, int testSize, long startStep, double[] lr,
    int[] batchSize, int[] epoch, int[] trainClassCounts) {

  /** the updates the run's plan holds, counted from 0 */
  public int totalSteps() {
    return lr.length;
  }
}
