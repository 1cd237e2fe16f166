package org.trajlab.engine.data;

import java.util.Arrays;

/**
 * Images as rows of pixels scaled to [0, 1], with integer class labels. Each example is {@link #features()} =
 * channels·rows·cols floats, channel-major (CHW: the whole first channel row by row, then the next), so a batch
 * reshaped to [N, C, H, W] is DL4J's convolutional input and a batch of rows is the MLP's input.
 */
public record ImageSet(float[] pixels, int[] labels, int channels, int rows, int cols, int numClasses) {

  public ImageSet {
    if (channels <= 0 || rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("bad image shape " + channels + "x" + rows + "x" + cols);
    }
    if ((long) labels.length * channels * rows * cols != pixels.length) {
      throw new IllegalArgumentException(pixels.length + " pixels are not " + labels.length + " images of " + channels
          + "x" + rows + "x" + cols);
    }
  }

  /** single-channel (grey) images, as IDX files hold */
  public ImageSet(float[] pixels, int[] labels, int rows, int cols, int numClasses) {
    this(pixels, labels, 1, rows, cols, numClasses);
  }

  public int size() {
    return labels.length;
  }

  /** floats per example: channels·rows·cols */
  public int features() {
    return channels * rows * cols;
  }

  /** the pixel of {@code example} in {@code channel} at ({@code row}, {@code col}) */
  public float pixel(int example, int channel, int row, int col) {
    return pixels[example * features() + (channel * rows + row) * cols + col];
  }

  /** the first n examples */
  public ImageSet head(int n) {
    int f = features();
    return new ImageSet(Arrays.copyOf(pixels, n * f), Arrays.copyOf(labels, n), channels, rows, cols, numClasses);
  }

  /** the examples at {@code idx}, in that order */
  public ImageSet select(int[] idx) {
    int f = features();
    float[] px = new float[idx.length * f];
    int[] lab = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      System.arraycopy(pixels, idx[i] * f, px, i * f, f);
      lab[i] = labels[idx[i]];
    }
    return new ImageSet(px, lab, channels, rows, cols, numClasses);
  }

  /** the same images (shared, not copied) with other labels, e.g. after label corruption */
  public ImageSet withLabels(int[] newLabels) {
    if (newLabels.length != labels.length) {
      throw new IllegalArgumentException(newLabels.length + " labels for " + labels.length + " images");
    }
    return new ImageSet(pixels, newLabels, channels, rows, cols, numClasses);
  }

  /** "3x32x32" */
  public String shape() {
    return channels + "x" + rows + "x" + cols;
  }
}
