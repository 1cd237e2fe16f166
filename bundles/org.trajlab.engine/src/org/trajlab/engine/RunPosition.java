package org.trajlab.engine;

/**
 * Where a run stands in its data order: updates done, the 1-based epoch, the next example of the epoch's permutation,
 * and examples seen. A checkpoint stores exactly these; everything random is a function of (seed, epoch) or
 * (seed, update), so nothing else is needed to continue.
 */
final class RunPosition {
  private final long seed;
  private final int n;
  long step;
  int epoch = 1;
  int pos;
  long examplesSeen;
  /** the current epoch's permutation of 0..N-1, drawn on first use */
  private int[] order;

  RunPosition(long seed, int n) {
    this.seed = seed;
    this.n = n;
  }

  /**
   * The batch size of the next update; when the epoch's permutation cannot supply it, the epoch ends first and the
   * update takes the first batch of the next epoch.
   */
  int nextBatchSize(StepPlan plan) {
    if (!plan.fits(step, epoch, pos)) {
      epoch++;
      pos = 0;
      order = null;
    }
    return plan.batchSize(step, epoch, pos);
  }

  /** the training-set indices of the next batch of b examples */
  int[] batch(int b) {
    if (order == null) order = Batches.epochOrder(seed, epoch, n);
    return java.util.Arrays.copyOfRange(order, pos, pos + b);
  }

  /** one update of b examples done */
  void advance(int b) {
    pos += b;
    examplesSeen += b;
    step++;
  }

  /** the epoch ends here: the next update would not find its batch in this epoch's permutation */
  boolean epochEnds(StepPlan plan) {
    return !plan.fits(step, epoch, pos);
  }

  /** the epoch rows about this point are filed under (0 before the first update) */
  int epochOfPoint() {
    return step == 0 ? 0 : epoch;
  }

  void restore(Checkpoints.State s) {
    step = s.step;
    epoch = s.epoch;
    pos = s.pos;
    examplesSeen = s.examplesSeen;
    order = null;
  }

  void store(Checkpoints.State s) {
    s.step = step;
    s.epoch = epoch;
    s.pos = pos;
    s.examplesSeen = examplesSeen;
  }
}
