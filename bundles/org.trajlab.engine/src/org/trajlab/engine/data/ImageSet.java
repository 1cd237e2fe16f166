package org.trajlab.engine.data;

/** Images as rows of pixels scaled to [0, 1], with integer class labels. */
public record ImageSet(float[] pixels, int[] labels, int rows, int cols, int numClasses) {
  public int size() {
    return labels.length;
  }

  public int features() {
    return rows * cols;
  }

  /** the first n examples */
  public ImageSet head(int n) {
    int f = features();
    return new ImageSet(java.util.Arrays.copyOf(pixels, n * f), java.util.Arrays.copyOf(labels, n), rows, cols, numClasses);
  }
}
