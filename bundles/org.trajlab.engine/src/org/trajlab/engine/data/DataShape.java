package org.trajlab.engine.data;

import java.nio.file.Path;

/**
 * What {@link Datasets#check} found, before any pixel is read: the example shape, the classes, the sizes of the data
 * files and of the sets a run will use. A model can be configured and the batch size checked from this alone.
 *
 * @param dataset       the spec's dataset name
 * @param title         its name for people, e.g. "CIFAR-10"
 * @param dir           the folder the files are read from (null for the synthetic quadratic)
 * @param channels      channels per example (3 for CIFAR, else 1)
 * @param rows          image rows (1 for the quadratic)
 * @param cols          image columns (the dimension d for the quadratic)
 * @param numClasses    classes K (0 for the quadratic, which has no labels)
 * @param trainFileSize examples in the training file(s)
 * @param testFileSize  examples in the test file
 * @param plan          which examples of the files each set takes (training, held-out, test)
 */
public record DataShape(String dataset, String title, Path dir, int channels, int rows, int cols, int numClasses,
    int trainFileSize, int testFileSize, Splits.Plan plan) {

  /** examples of the training set the run trains on */
  public int trainSize() {
    return plan.train().length;
  }

  /** examples of the held-out split (0 = none) */
  public int heldOutSize() {
    return plan.heldOut().length;
  }

  /** examples of the test set */
  public int testSize() {
    return plan.test().length;
  }

  /** numbers per example: channels·rows·cols (the quadratic's dimension d) */
  public int features() {
    return channels * rows * cols;
  }
}
