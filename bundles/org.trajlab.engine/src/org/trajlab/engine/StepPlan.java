package org.trajlab.engine;

import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.engine.optim.RateSchedule;

/**
 * The shape of a run's updates, from the spec and the training-set size N alone: the batch size and the learning
 * rate of every update, where an update sits in the run's epochs, and how many updates the run makes. Nothing here
 * touches data or the network.
 * <p>
 * <b>Positions.</b> Schedules counted in steps read t; schedules counted in epochs read
 * {@link RateSchedule#epochPosition} — the epochs completed plus the fraction of this epoch's batches done — so a
 * change "at epoch 100" happens exactly at the first update of epoch 101, however many examples the dropped partial
 * batches leave out (examples seen / N would fall behind by that much every epoch). With a batch-size schedule the
 * number of batches per epoch varies; the fraction is then the examples used over N.
 * <p>
 * <b>Epochs.</b> An epoch ends when its permutation cannot supply the next batch (a last partial batch is dropped).
 * The plateau schedule's state (its current rate) lives in {@link #learningRates()}, which the evaluator feeds.
 */
final class StepPlan {
  /** training.batchSchedule.type: a constant batch size, or one that mirrors a learning-rate curve (paper 002) */
  static final java.util.Set<String> BATCH_SCHEDULES = java.util.Set.of("constant", "mirror");
  private final int n;
  private final int batchSize;
  private final double lr;
  private final boolean fullBatch;
  private final RateSchedule learningRates;
  /** the schedule a batch-size schedule follows (checked even when its type is "constant"), or null */
  private final RateSchedule batchMirror;
  /** a mirrored batch-size schedule is in force (type "mirror") */
  private final boolean mirrored;
  private final long totalSteps;

  /**
   * @param n the training-set size after subsets and the held-out split
   * @throws SpecException when a schedule is wrong (one sentence naming the field)
   */
  StepPlan(RunSpec spec, int n) throws SpecException {
    if (spec.training.batchSchedule != null) {
      Specs.oneOf("training.batchSchedule.type", spec.training.batchSchedule.type, BATCH_SCHEDULES);
      Specs.require(!"mirror".equals(spec.training.batchSchedule.type) || spec.training.batchSchedule.of != null,
          "training.batchSchedule.of", "Field 'training.batchSchedule.of' must give the learning-rate schedule a mirror batch schedule follows");
    }
    this.n = n;
    this.batchSize = spec.training.batchSize;
    this.lr = spec.optimizer.lr;
    this.fullBatch = spec.optimizer.type.startsWith("gd");
    double runEpochs = runEpochs(spec, n);
    this.learningRates = new RateSchedule(spec.optimizer.lrSchedule, lr, runEpochs, "optimizer.lrSchedule");
    this.batchMirror = spec.training.batchSchedule != null && spec.training.batchSchedule.of != null
        ? new RateSchedule(spec.training.batchSchedule.of, lr, runEpochs, "training.batchSchedule.of") : null;
    checkSchedules(spec, learningRates);
    this.mirrored = batchMirror != null && "mirror".equals(spec.training.batchSchedule.type);
    this.totalSteps = spec.training.steps != null ? spec.training.steps : updatesIn(spec.training.epochs);
    learningRates.resolveEnd(totalSteps, "optimizer.lrSchedule");
    if (batchMirror != null) batchMirror.resolveEnd(totalSteps, "training.batchSchedule.of");
  }

  /** schedule checks that need the spec as a whole */
  private static void checkSchedules(RunSpec spec, RateSchedule lrSchedule) throws SpecException {
    if (lrSchedule.perStep() && spec.optimizer.lrSchedule != null && "trapezoid".equals(spec.optimizer.lrSchedule.type)
        && spec.optimizer.lrSchedule.length == null) {
      throw new SpecException("optimizer.lrSchedule.length", "Field 'optimizer.lrSchedule.length' must be given for a trapezoid counted in steps.");
    }
    if (lrSchedule.isPlateau()) {
      String set = lrSchedule.monitoredSet();
      Specs.require(spec.eval.sets.contains(set), "optimizer.lrSchedule.monitor", "Field 'optimizer.lrSchedule.monitor' is "
          + lrSchedule.monitor() + " but eval.sets does not evaluate '" + set + "'; add it to eval.sets");
    }
  }

  /**
   * The run's length in epochs (a schedule's default length, e.g. the trapezoid's): training.epochs, or
   * training.steps over the batches an epoch holds (N / S full batches; one for full-batch descent)
   */
  static double runEpochs(RunSpec spec, int n) {
    if (spec.training.steps == null) return spec.training.epochs;
    int perEpoch = spec.optimizer.type.startsWith("gd") ? 1 : Math.max(1, n / spec.training.batchSize);
    return (double) spec.training.steps / perEpoch;
  }

  /** N, the training-set size */
  int trainingSize() {
    return n;
  }

  /** every update uses the whole training set (gd, gd-noise) */
  boolean fullBatch() {
    return fullBatch;
  }

  /** the updates the spec asks for: training.steps, or those that training.epochs hold */
  long totalSteps() {
    return totalSteps;
  }

  /** the learning-rate schedule (its plateau state changes as evaluations are observed) */
  RateSchedule learningRates() {
    return learningRates;
  }

  /** the batch size of the update at step t, at example {@code p} of 1-based epoch {@code e}'s permutation */
  int batchSize(long step, int e, int p) {
    if (fullBatch) return n;
    if (!mirrored) return batchSize;
    return RateSchedule.mirroredBatch(batchSize, lr, batchMirror.value(position(batchMirror, step, e, p)), n);
  }

  /** η of the update at step t, at example {@code p} of 1-based epoch {@code e} */
  double learningRate(long step, int e, int p) {
    return learningRates.value(position(learningRates, step, e, p));
  }

  /** full batches of the configured size in one epoch (a last partial batch is dropped) */
  private int batchesPerEpoch() {
    return fullBatch ? 1 : Math.max(1, n / batchSize);
  }

  /** where {@code schedule} reads the update at step t, at example p of 1-based epoch e (see the class doc) */
  private double position(RateSchedule schedule, long step, int e, int p) {
    if (schedule.perStep()) return step;
    if (mirrored) return (e - 1) + (double) p / n;
    int size = fullBatch ? n : batchSize;
    return RateSchedule.epochPosition(e, p / size, batchesPerEpoch());
  }

  /**
   * Before the update at step t, with the data order at example p of epoch e: does the permutation supply its
   * batch? When it does not, the epoch ends and the update takes the first batch of the next one.
   */
  boolean fits(long step, int e, int p) {
    return p + batchSize(step, e, p) <= n;
  }

  /** updates in {@code epochs} epochs */
  private long updatesIn(int epochs) {
    long steps = 0;
    int p = 0;
    int e = 1;
    while (true) {
      if (!fits(steps, e, p)) {
        e++;
        p = 0;
      }
      if (e > epochs) return steps;
      p += batchSize(steps, e, p);
      steps++;
    }
  }
}
