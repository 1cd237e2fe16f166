package org.trajlab.probes.embedding.internal;

import tagbio.umap.Umap;

/**
 * The 2-D map of a trajectory: UMAP (McInnes et al. 2018, the method of paper 004's Fig. 1) of one point per measured
 * step, each the flattened predicted probabilities of the same examples, with Euclidean distances between them.
 * The implementation is Tag.bio's Java UMAP (a port of the reference Python implementation, random initialisation);
 * it runs on one thread, which makes it deterministic for a seed (its own documentation: more threads are not).
 */
public final class TrajectoryEmbedding {
  /** the fewest points a map is fitted to: with fewer, UMAP has no neighbourhoods to keep */
  public static final int MIN_POINTS = 3;

  /** UMAP's settings: neighbours (capped at the points less one), minimum distance, epochs (0: UMAP's own), seed */
  public record Settings(int neighbours, double minDist, int epochs, long seed) {}

  private TrajectoryEmbedding() {}

  /**
   * the 2-D coordinates of each of {@code points} (rows of equal length), in their order; at least
   * {@value #MIN_POINTS} points
   */
  public static double[][] embed(float[][] points, Settings s) {
    if (points.length < MIN_POINTS) {
      throw new IllegalArgumentException("an embedding needs at least " + MIN_POINTS + " points, not " + points.length);
    }
    Umap umap = new Umap();
    umap.setNumberComponents(2);
    umap.setNumberNearestNeighbours(Math.max(2, Math.min(s.neighbours(), points.length - 1)));
    umap.setMinDist((float) s.minDist());
    if (s.epochs() > 0) {
      umap.setNumberEpochs(s.epochs());
    }
    umap.setSeed(s.seed());
    umap.setThreads(1);
    umap.setVerbose(false);
    float[][] out = umap.fitTransform(points);
    double[][] xy = new double[out.length][2];
    for (int i = 0; i < out.length; i++) {
      xy[i][0] = out[i][0];
      xy[i][1] = out[i][1];
    }
    return xy;
  }

  /** the neighbours UMAP uses for {@code n} points when asked for {@code neighbours} */
  public static int neighboursFor(int neighbours, int n) {
    return Math.max(2, Math.min(neighbours, n - 1));
  }
}
