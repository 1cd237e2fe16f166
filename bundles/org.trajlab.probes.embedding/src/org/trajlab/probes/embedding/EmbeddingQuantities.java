package org.trajlab.probes.embedding;

/**
 * The names the trajectory embedding of paper 004 (Fig. 1; INSTRUMENTS.md section 5) writes into metrics.csv: its
 * probe column and quantities. Each measured step t gets one point of the 2-D map, written when the run finishes
 * (the map is fitted to all the measured steps at once).
 */
public final class EmbeddingQuantities {
  private EmbeddingQuantities() {}

  /** the probe column of the embedding's rows, and its registered probe type */
  public static final String EMBEDDING = "embedding";

  /** the first coordinate of step t's point in the 2-D embedding of the predicted probabilities */
  public static final String EMBEDDING_X = "embedding_x";
  /** the second coordinate of step t's point */
  public static final String EMBEDDING_Y = "embedding_y";
}
