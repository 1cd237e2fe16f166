package org.trajlab.engine.data;

/**
 * Images exactly as a data file stores them: one unsigned byte per pixel, channel-major (CHW) per example, with
 * integer labels. Kept as bytes until the examples a run uses are chosen, so a subset of CIFAR-10 never costs the
 * 600 MB of the whole training file in floats.
 */
public record RawImages(byte[] pixels, int[] labels, int channels, int rows, int cols, int numClasses) {

  public RawImages {
    if ((long) labels.length * channels * rows * cols != pixels.length) {
      throw new IllegalArgumentException(pixels.length + " pixel bytes are not " + labels.length + " images of "
          + channels + "x" + rows + "x" + cols);
    }
  }

  public int size() {
    return labels.length;
  }

  public int features() {
    return channels * rows * cols;
  }

  /** the examples at {@code idx}, in that order, with pixels scaled from 0..255 to [0, 1] */
  public ImageSet select(int[] idx) {
    int f = features();
    float[] px = new float[idx.length * f];
    int[] lab = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      int src = idx[i] * f;
      int dst = i * f;
      for (int j = 0; j < f; j++) {
        px[dst + j] = (pixels[src + j] & 0xff) / 255.0f;
      }
      lab[i] = labels[idx[i]];
    }
    return new ImageSet(px, lab, channels, rows, cols, numClasses);
  }

  /** every example, scaled to [0, 1] */
  public ImageSet all() {
    return select(Splits.range(0, size()));
  }
}
