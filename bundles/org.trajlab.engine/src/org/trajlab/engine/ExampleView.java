package org.trajlab.engine;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.trajlab.api.objective.DataView;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.data.Splits;

/**
 * A fixed set of examples an objective is evaluated on (a {@link DataView}), cut into parts for computation. Each
 * part's feature and label arrays are built once per precision and partition, on first use, and kept.
 * <p>
 * Two ways to cut: chunks, which keep the view's order and cover it (for models without batch normalisation the
 * cut changes nothing but rounding), and whole batches, a seeded random partition into batches of exactly S with the
 * remainder left out (batch normalisation in train mode: each part is normalised with its own statistics, as SGD
 * experiences it). Per-example quantities are parts of one example each.
 */
final class ExampleView implements DataView {
  /** how a view is cut: parts of {@code size}, the last one shorter, or whole batches only (seeded) */
  record Partition(int size, boolean wholeBatches, long seed) {}

  /**
   * The parts' arrays, their examples' labels, source indices ({@code members}) and positions in the view, and how
   * many examples they hold.
   */
  record Parts(INDArray[] x, INDArray[] y, int[][] labels, int[][] members, int[][] positions, int examples) {
    int count() {
      return x.length;
    }
  }

  private final String name;
  private final ImageSet source;
  private final int[] idx;
  private final Map<DataType, Map<Partition, Parts>> parts = new EnumMap<>(DataType.class);

  ExampleView(String name, ImageSet source, int[] idx) {
    this.name = name;
    this.source = source;
    this.idx = idx;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return idx.length;
  }

  synchronized Parts parts(DataType dt, Partition p) {
    return parts.computeIfAbsent(dt, d -> new HashMap<>()).computeIfAbsent(p, q -> build(dt, q));
  }

  private Parts build(DataType d, Partition p) {
    return of(d, positions(p));
  }

  /** one part per group of view positions (not kept: an ad-hoc cut, e.g. per-example or mini-batch groups) */
  Parts group(DataType d, int[][] groups) {
    for (int[] g : groups) {
      for (int q : g) {
        if (q < 0 || q >= idx.length) {
          throw new IllegalArgumentException("position " + q + " is outside the view " + name + " of " + idx.length + " examples");
        }
      }
    }
    return of(d, groups);
  }

  private Parts of(DataType d, int[][] positions) {
    int count = positions.length;
    int[][] members = new int[count][];
    for (int c = 0; c < count; c++) {
      members[c] = new int[positions[c].length];
      for (int i = 0; i < members[c].length; i++) members[c][i] = idx[positions[c][i]];
    }
    INDArray[] x = new INDArray[count];
    INDArray[] y = new INDArray[count];
    int[][] labels = new int[count][];
    int examples = 0;
    for (int c = 0; c < count; c++) {
      int[] m = members[c];
      x[c] = Batches.features(source, m, 0, m.length, d);
      y[c] = Batches.oneHot(source, m, 0, m.length, d);
      labels[c] = new int[m.length];
      for (int i = 0; i < m.length; i++) labels[c][i] = source.labels()[m[i]];
      examples += m.length;
    }
    return new Parts(x, y, labels, members, positions, examples);
  }

  /**
   * The view positions of each part. Chunks keep the view's order and cover it; whole batches are a seeded random
   * partition into batches of exactly {@code size} (a view smaller than that is one batch), the remainder left out.
   */
  int[][] positions(Partition p) {
    int n = idx.length;
    if (!p.wholeBatches()) {
      int count = (n + p.size() - 1) / p.size();
      int[][] m = new int[count][];
      for (int c = 0; c < count; c++) m[c] = range(c * p.size(), Math.min(n, (c + 1) * p.size()));
      return m;
    }
    if (n <= p.size()) return new int[][] { range(0, n) };
    int[] order = Splits.permutation(new SplittableRandom(p.seed() ^ name.hashCode()), n);
    int count = n / p.size();
    int[][] m = new int[count][p.size()];
    for (int c = 0; c < count; c++) {
      for (int i = 0; i < p.size(); i++) m[c][i] = order[c * p.size() + i];
    }
    return m;
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) r[i] = from + i;
    return r;
  }
}
