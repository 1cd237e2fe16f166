package org.trajlab.api.probe;

/** Where a probe writes its rows; the step, epoch and probe columns are filled in for it. */
public interface MetricSink {
  void record(String quantity, double value);

  /** a row with an index: alpha, k, eigen-rank, learning rate ... */
  void record(String quantity, double index, double value);
}
