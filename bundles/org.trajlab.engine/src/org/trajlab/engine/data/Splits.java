package org.trajlab.engine.data;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.trajlab.api.spec.DataSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;

/**
 * Which examples of the data files a run uses: the training set, the held-out split and the test set, as sorted
 * indices into the files, chosen as {@link DataSpec} describes. Pure functions of the spec, the seed and the file
 * sizes, so a check can compute (and validate) the plan without reading any pixels, and the same seed gives the same
 * indices on any machine.
 */
public final class Splits {
  /** the independent random streams of one seed, one per purpose, so changing one choice never moves another */
  public enum Purpose {
    HELD_OUT, TRAIN_SUBSET, TEST_SUBSET, CORRUPTED_EXAMPLES, CORRUPTED_LABELS, QUADRATIC_TRAIN, QUADRATIC_TEST
  }

  /** sorted example indices of the training file (train, heldOut) and of the test file (test) */
  public record Plan(int[] train, int[] heldOut, int[] test) {}

  private Splits() {}

  /** the seed that the data choices use: {@code data.seed} when set, else the run's seed */
  public static long dataSeed(DataSpec d, long runSeed) {
    return d.seed != null ? d.seed : runSeed;
  }

  /** the random stream of {@code seed} for {@code purpose}: seed and purpose mixed (SplitMix64's finaliser) */
  public static SplittableRandom stream(long seed, Purpose purpose) {
    long z = seed * 0x9E3779B97F4A7C15L + (purpose.ordinal() + 1) * 0xD1B54A32D192ED03L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return new SplittableRandom(z ^ (z >>> 31));
  }

  /** a uniformly random permutation of 0..n-1 (Fisher-Yates) */
  public static int[] permutation(SplittableRandom r, int n) {
    int[] p = range(0, n);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** from, from+1, …, to-1 */
  public static int[] range(int from, int to) {
    int[] idx = new int[Math.max(0, to - from)];
    for (int i = 0; i < idx.length; i++) idx[i] = from + i;
    return idx;
  }

  /**
   * {@code size} elements of {@code pool}: its first ones, or (random) the first {@code size} of a random permutation
   * of it, sorted. With the same stream, a smaller random choice is contained in a larger one.
   */
  public static int[] choose(int[] pool, int size, boolean random, SplittableRandom r) {
    if (!random) return Arrays.copyOf(pool, size);
    int[] p = permutation(r, pool.length);
    int[] idx = new int[size];
    for (int i = 0; i < size; i++) idx[i] = pool[p[i]];
    Arrays.sort(idx);
    return idx;
  }

  /** the elements of sorted {@code pool} that are not in sorted {@code removed}, in order */
  public static int[] without(int[] pool, int[] removed) {
    int[] rest = new int[pool.length];
    int n = 0;
    int j = 0;
    for (int v : pool) {
      while (j < removed.length && removed[j] < v) j++;
      if (j < removed.length && removed[j] == v) continue;
      rest[n++] = v;
    }
    return Arrays.copyOf(rest, n);
  }

  /**
   * The plan for files of {@code trainFile} and {@code testFile} examples: the pool ({@code trainRange}), the held-out
   * split drawn from it, the training set from the rest, the test set. Sizes that the files cannot supply are a
   * one-sentence {@link SpecException} naming the field.
   */
  public static Plan plan(DataSpec d, long runSeed, int trainFile, int testFile) throws SpecException {
    long seed = dataSeed(d, runSeed);
    int[] pool = pool("data.trainRange", d.trainRange, trainFile, "training");
    int h = d.heldOutSize == null ? 0 : d.heldOutSize;
    Specs.require(h < pool.length, "data.heldOutSize", "Field 'data.heldOutSize' is " + h + " but only " + pool.length
        + " training examples are available to carve it from" + (d.trainRange != null ? " (data.trainRange)" : "")
        + " and at least one must be left to train on; choose at most " + (pool.length - 1));
    int[] heldOut = choose(pool, h, true, stream(seed, Purpose.HELD_OUT));
    int[] rest = without(pool, heldOut);
    int[] train = rest;
    if (d.trainSize != null) {
      Specs.require(d.trainSize <= rest.length, "data.trainSize", "Field 'data.trainSize' is " + d.trainSize
          + " but " + availability(rest.length, "training", trainFile, d.trainRange != null, h) + "; choose at most "
          + rest.length);
      train = choose(rest, d.trainSize, "random".equals(d.trainSelection), stream(seed, Purpose.TRAIN_SUBSET));
    }
    int[] testPool = pool("data.testRange", d.testRange, testFile, "test");
    int[] test = testPool;
    if (d.testSize != null) {
      Specs.require(d.testSize <= testPool.length, "data.testSize", "Field 'data.testSize' is " + d.testSize + " but "
          + availability(testPool.length, "test", testFile, d.testRange != null, 0) + "; choose at most "
          + testPool.length);
      test = choose(testPool, d.testSize, "random".equals(d.testSelection), stream(seed, Purpose.TEST_SUBSET));
    }
    return new Plan(train, heldOut, test);
  }

  /** the file's examples in {@code r}, checked against the file's size */
  static int[] pool(String field, DataSpec.Range r, int fileSize, String which) throws SpecException {
    if (r == null) return range(0, fileSize);
    Specs.require(r.from < fileSize, field + ".from", "Field '" + field + ".from' is " + r.from + " but the " + which
        + " file has only " + fileSize + " examples (indices 0.." + (fileSize - 1) + ")");
    int to = r.to == null ? fileSize : r.to;
    Specs.require(to <= fileSize, field + ".to", "Field '" + field + ".to' is " + to + " but the " + which
        + " file has only " + fileSize + " examples; choose at most " + fileSize);
    return range(r.from, to);
  }

  private static String availability(int n, String which, int fileSize, boolean ranged, int heldOut) {
    if (heldOut > 0) return "only " + n + " " + which + " examples remain after the held-out split of " + heldOut;
    if (ranged) return "the range data." + (which.equals("test") ? "test" : "train") + "Range holds only " + n
        + " examples";
    return "the " + which + " file has only " + fileSize + " examples";
  }
}
