package org.trajlab.api.store;

/**
 * One row of a run's tidy metrics table {@code step,epoch,probe,quantity,index,value}. {@code index} is NaN for a
 * plain scalar (an empty cell in the CSV), else the grid position or rank (alpha, k, eigen-rank, ...).
 */
public record MetricRow(long step, int epoch, String probe, String quantity, double index, double value) {
  public boolean hasIndex() {
    return !Double.isNaN(index);
  }
}
