package org.trajlab.api.probe;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Seeded draws of distinct examples, the one implementation every probe uses (Hessian subsets, mini-batches of K,
 * held-out batches, the embedding's test subset): a partial Fisher-Yates shuffle, so a draw of s costs s random
 * numbers and the same generator gives the same examples.
 */
public final class Sampling {
  private Sampling() {
  }

  /** the first {@code s} entries of {@code pool} after a partial Fisher-Yates shuffle of it in place (pool order) */
  public static int[] draw(int[] pool, int s, RandomGenerator rnd) {
    for (int i = 0; i < s; i++) {
      int j = i + rnd.nextInt(pool.length - i);
      int x = pool[i];
      pool[i] = pool[j];
      pool[j] = x;
    }
    return Arrays.copyOf(pool, s);
  }

  /** {@code s} distinct indices of 0..n−1, ascending */
  public static int[] distinct(int n, int s, RandomGenerator rnd) {
    int[] pool = new int[n];
    for (int i = 0; i < n; i++) pool[i] = i;
    int[] r = draw(pool, s, rnd);
    Arrays.sort(r);
    return r;
  }
}
