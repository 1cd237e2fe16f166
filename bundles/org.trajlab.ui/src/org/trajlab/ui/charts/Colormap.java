package org.trajlab.ui.charts;

import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;

/**
 * The heat map's colours: viridis (dark violet for the smallest values through green to yellow for the largest),
 * perceptually uniform and readable in grey, as 256 steps interpolated between nine of its samples.
 */
public final class Colormap {
  private static final int[][] ANCHORS = { { 68, 1, 84 }, { 71, 44, 122 }, { 59, 81, 139 }, { 44, 113, 142 },
      { 33, 144, 141 }, { 39, 173, 129 }, { 92, 200, 99 }, { 170, 220, 50 }, { 253, 231, 37 } };
  /** the number of distinct colours */
  public static final int STEPS = 256;
  private static final RGB[] RGBS = new RGB[STEPS];
  private static final Color[] COLORS = new Color[STEPS];

  static {
    for (int i = 0; i < STEPS; i++) {
      double t = i / (STEPS - 1.0) * (ANCHORS.length - 1);
      int a = Math.min((int) Math.floor(t), ANCHORS.length - 2);
      double f = t - a;
      RGBS[i] = new RGB(mix(ANCHORS[a][0], ANCHORS[a + 1][0], f), mix(ANCHORS[a][1], ANCHORS[a + 1][1], f),
          mix(ANCHORS[a][2], ANCHORS[a + 1][2], f));
      COLORS[i] = new Color(RGBS[i]);
    }
  }

  private Colormap() {}

  private static int mix(int p, int q, double f) {
    return (int) Math.round(p + (q - p) * f);
  }

  /** the colour step of {@code v} on a scale from {@code min} to {@code max} (the middle one when they are equal) */
  public static int step(double v, double min, double max) {
    double t = max > min ? (v - min) / (max - min) : 0.5;
    return (int) Math.round(Math.max(0, Math.min(1, t)) * (STEPS - 1));
  }

  public static RGB rgb(double v, double min, double max) {
    return RGBS[step(v, min, max)];
  }

  public static Color color(double v, double min, double max) {
    return COLORS[step(v, min, max)];
  }
}
