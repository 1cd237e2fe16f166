package org.trajlab.engine.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random-label corruption of a training set (paper 002 §4.3, after Zhang et al. 2016 and Arpit et al. 2017): a seeded
 * choice of round(p·N) of the N examples gets a label drawn uniformly from all K classes. The new label may equal the
 * true one, as in those papers, so about p·(K−1)/K of the labels end up wrong; {@link #changedCount()} says how many
 * exactly. The record keeps which examples were chosen and their true labels, so a run can report accuracy on the
 * clean and on the corrupted part.
 *
 * @param fraction       p, the fraction asked for
 * @param indices        the corrupted examples, sorted positions in the training set
 * @param originalLabels their true labels, aligned with {@code indices}
 * @param randomLabels   the labels they got, aligned with {@code indices}
 */
public record LabelCorruption(double fraction, int[] indices, int[] originalLabels, int[] randomLabels) {

  /** no corruption */
  public static LabelCorruption none() {
    return new LabelCorruption(0, new int[0], new int[0], new int[0]);
  }

  /** round(p·n), the number of examples corrupted out of n (halves round up) */
  public static int corruptedCount(double p, int n) {
    return (int) Math.min(n, Math.round(p * n));
  }

  /**
   * Chooses round(p·N) of the examples with {@code labels} and draws each a uniform label in 0..numClasses-1. The
   * examples are a prefix of a seeded permutation, and the labels are drawn in that permutation's order, so with the
   * same seed a smaller p corrupts a subset of the examples of a larger p, with the same random labels.
   */
  public static LabelCorruption draw(int[] labels, int numClasses, double p, long seed) {
    int k = corruptedCount(p, labels.length);
    int[] chosen = Arrays.copyOf(Splits.permutation(Splits.stream(seed, Splits.Purpose.CORRUPTED_EXAMPLES),
        labels.length), k);
    SplittableRandom labelStream = Splits.stream(seed, Splits.Purpose.CORRUPTED_LABELS);
    int[] drawn = new int[labels.length];
    for (int example : chosen) drawn[example] = labelStream.nextInt(numClasses);
    int[] idx = chosen.clone();
    Arrays.sort(idx);
    int[] orig = new int[k];
    int[] rand = new int[k];
    for (int i = 0; i < k; i++) {
      orig[i] = labels[idx[i]];
      rand[i] = drawn[idx[i]];
    }
    return new LabelCorruption(p, idx, orig, rand);
  }

  /** the training labels after corruption (a copy; {@code labels} is not changed) */
  public int[] apply(int[] labels) {
    int[] out = labels.clone();
    for (int i = 0; i < indices.length; i++) out[indices[i]] = randomLabels[i];
    return out;
  }

  /** how many examples were corrupted */
  public int count() {
    return indices.length;
  }

  /** how many corrupted examples got a label different from their true one */
  public int changedCount() {
    int c = 0;
    for (int i = 0; i < indices.length; i++) {
      if (randomLabels[i] != originalLabels[i]) c++;
    }
    return c;
  }

  /** the examples of a training set of n that were not corrupted, sorted */
  public int[] cleanIndices(int n) {
    return Splits.without(Splits.range(0, n), indices);
  }
}
