package org.trajlab.probes.embedding.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.trajlab.probes.embedding.internal.TrajectoryEmbedding;

/**
 * The library (Tag.bio's Java UMAP) on points of known structure, as the probe calls it: two well separated clusters
 * of flattened probability vectors stay two clusters in 2-D, the same seed gives the same map bit for bit, and the
 * size the probe's points have (20 checkpoints of 1,000 examples × 10 classes) is fitted in well under a second.
 */
public class TrajectoryEmbeddingTest {
  static final TrajectoryEmbedding.Settings SETTINGS = new TrajectoryEmbedding.Settings(5, 0.1, 0, 7);

  /**
   * {@code n} points around each of two distributions over {@code classes} classes, repeated for {@code examples}
   * examples and flattened: cluster A puts 0.8 on class 0, cluster B 0.8 on class 1, each point jittered by 0.02
   */
  static float[][] twoClusters(int n, int examples, int classes, long seed) {
    Random r = new Random(seed);
    float[][] pts = new float[2 * n][examples * classes];
    for (int p = 0; p < 2 * n; p++) {
      int hot = p < n ? 0 : 1;
      for (int e = 0; e < examples; e++) {
        for (int c = 0; c < classes; c++) {
          double base = c == hot ? 0.8 : 0.2 / (classes - 1);
          pts[p][e * classes + c] = (float) (base + 0.02 * r.nextGaussian());
        }
      }
    }
    return pts;
  }

  @Test
  public void twoSeparatedClustersStaySeparatedAndTheMapIsDeterministic() {
    int n = 12;
    float[][] pts = twoClusters(n, 50, 10, 1);
    double[][] a = TrajectoryEmbedding.embed(pts, SETTINGS);
    double[][] b = TrajectoryEmbedding.embed(pts, SETTINGS);
    assertEquals(2 * n, a.length);
    for (int i = 0; i < a.length; i++) {
      assertEquals(2, a[i].length);
      assertTrue(Double.isFinite(a[i][0]) && Double.isFinite(a[i][1]), Arrays.toString(a[i]));
      assertArrayEquals(a[i], b[i], 0.0, "the same seed, point " + i);
    }
    double[] ca = centroid(a, 0, n);
    double[] cb = centroid(a, n, 2 * n);
    double between = dist(ca, cb);
    double spreadA = 0;
    double spreadB = 0;
    for (int i = 0; i < n; i++) {
      spreadA = Math.max(spreadA, dist(a[i], ca));
      spreadB = Math.max(spreadB, dist(a[n + i], cb));
    }
    System.out.printf(Locale.ROOT, "TrajectoryEmbeddingTest: centroids %.3g apart, clusters within %.3g and %.3g%n", between,
        spreadA, spreadB);
    // every point is nearer its own cluster's centroid than the other's, with room to spare
    assertTrue(between > 2 * Math.max(spreadA, spreadB), "centroids " + between + " apart, spreads " + spreadA + ", " + spreadB);
    // the nearest point of the other cluster is farther than any point of one's own
    double minBetween = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      for (int j = n; j < 2 * n; j++) minBetween = Math.min(minBetween, dist(a[i], a[j]));
    }
    assertTrue(minBetween > Math.max(spreadA, spreadB), "closest pair across " + minBetween);

    double[][] other = TrajectoryEmbedding.embed(pts, new TrajectoryEmbedding.Settings(5, 0.1, 0, 8));
    boolean differs = false;
    for (int i = 0; i < a.length; i++) differs |= other[i][0] != a[i][0] || other[i][1] != a[i][1];
    assertTrue(differs, "another seed gives the same map");
  }

  @Test
  public void twentyCheckpointsOfAThousandExamplesFitQuickly() {
    float[][] pts = twoClusters(10, 1000, 10, 2);
    TrajectoryEmbedding.embed(pts, SETTINGS); // warm-up: class loading and the JIT
    long t0 = System.nanoTime();
    double[][] xy = TrajectoryEmbedding.embed(pts, new TrajectoryEmbedding.Settings(15, 0.1, 0, 3));
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "TrajectoryEmbeddingTest: 20 points x 10,000 dimensions embedded in %.3f s%n", seconds);
    assertEquals(20, xy.length);
    assertTrue(seconds < 5, "took " + seconds + " s");
  }

  @Test
  public void fewerThanThreePointsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrajectoryEmbedding.embed(new float[2][4], SETTINGS));
    assertTrue(e.getMessage().contains("at least 3"), e.getMessage());
    assertEquals(2, TrajectoryEmbedding.neighboursFor(15, 3));
    assertEquals(15, TrajectoryEmbedding.neighboursFor(15, 40));
    assertFalse(TrajectoryEmbedding.embed(twoClusters(2, 3, 3, 4), SETTINGS).length != 4);
  }

  static double[] centroid(double[][] xy, int from, int to) {
    double[] c = new double[2];
    for (int i = from; i < to; i++) {
      c[0] += xy[i][0] / (to - from);
      c[1] += xy[i][1] / (to - from);
    }
    return c;
  }

  static double dist(double[] a, double[] b) {
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  }
}
