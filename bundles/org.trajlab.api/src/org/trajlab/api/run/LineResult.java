package org.trajlab.api.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A computed line between two runs: the folder it was written to ({@code lines.csv}, {@code summary.json}), the α
 * grid, and per set the loss and accuracy at every α in grid order ({@code loss.get("test")[i]} at
 * {@code alphas[i]}).
 */
public record LineResult(Path dir, double[] alphas, Map<String, double[]> loss, Map<String, double[]> accuracy,
    List<String> sets) {
}
