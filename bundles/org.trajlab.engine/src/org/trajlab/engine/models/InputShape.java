package org.trajlab.engine.models;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shape of one example and how a model takes it. The data layer hands out batches as flat rows [N, C·H·W]
 * (channel-major pixels); a dense model takes them as they are ({@link Layout#FLAT}), a convolutional one as
 * [N, C, H, W] ({@link Layout#IMAGE}), which for channel-major rows is a reshape, not a copy.
 *
 * @param layout how the model takes a batch
 * @param channels colour channels of an image (1 grey, 3 RGB)
 * @param height rows of an image
 * @param width columns of an image
 */
public record InputShape(Layout layout, int channels, int height, int width) {

  /** how a model takes a batch of examples */
  public enum Layout {
    /** [N, C·H·W]: dense layers */
    FLAT,
    /** [N, C, H, W]: convolutions (DL4J's NCHW) */
    IMAGE
  }

  public InputShape {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("bad input shape " + channels + "x" + height + "x" + width);
    }
  }

  /** images of channels x height x width taken as flat rows */
  public static InputShape flat(int channels, int height, int width) {
    return new InputShape(Layout.FLAT, channels, height, width);
  }

  /** images of channels x height x width taken as [N, C, H, W] */
  public static InputShape image(int channels, int height, int width) {
    return new InputShape(Layout.IMAGE, channels, height, width);
  }

  /** the same example shape taken another way */
  public InputShape as(Layout l) {
    return new InputShape(l, channels, height, width);
  }

  /** numbers per example: C·H·W */
  public int features() {
    return channels * height * width;
  }

  /** the shape of a batch of n examples as the model takes it */
  public long[] batchShape(long n) {
    return layout == Layout.FLAT ? new long[] { n, features() } : new long[] { n, channels, height, width };
  }

  /**
   * A batch as the model takes it: flat rows [N, C·H·W] are reshaped (channel-major, so a view when the rows are
   * contiguous); a batch already of the model's shape is returned as it is.
   */
  public INDArray toInput(INDArray batch) {
    long[] want = batchShape(batch.size(0));
    if (java.util.Arrays.equals(batch.shape(), want)) return batch;
    if (batch.rank() != 2 || batch.size(1) != features()) {
      throw new IllegalArgumentException("a batch of shape " + java.util.Arrays.toString(batch.shape())
          + " is neither rows of " + features() + " features nor " + java.util.Arrays.toString(want));
    }
    return batch.reshape('c', want);
  }

  /** "3x32x32" */
  @Override
  public String toString() {
    return channels + "x" + height + "x" + width + (layout == Layout.FLAT ? " (flat)" : "");
  }
}
