package org.trajlab.engine.optim;

import java.util.List;
import java.util.Set;

import org.trajlab.api.spec.RateScheduleSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;

/**
 * eta(x) for a {@link RateScheduleSpec}, as pure functions of the position x (epochs or steps, see the spec). The
 * plateau schedule depends on evaluations: {@link #value(double)} gives its current value, and
 * {@link #observe(double)} feeds it each evaluation of the monitored loss.
 */
public final class RateSchedule {
  public static final Set<String> TYPES = Set.of("constant", "step", "cyclic", "two-level", "trapezoid", "plateau",
      "twopoint", "ema", "swa");
  /** the equivalent schedules of trajectory averages (paper 003 Lemma 2), counted in steps */
  public static final Set<String> AVERAGING_TYPES = Set.of("twopoint", "ema", "swa");
  public static final Set<String> UNITS = Set.of("epoch", "step");
  /** what a plateau schedule may watch: an eval row's loss (lower is better) or accuracy (higher is better) */
  public static final List<String> MONITORS = List.of("acc_test", "acc_held_out", "acc_train_eval", "loss_test",
      "loss_held_out", "loss_train_eval");
  /** paper 001 decays "when reaching a plateau of validation accuracy"; the test set stands in for validation */
  public static final String DEFAULT_MONITOR = "acc_test";

  private final String type;
  private final boolean perStep;
  private final double max;
  private final double min;
  private final double cycle;
  private final double factor;
  private final double[] milestones;
  private final boolean highFirst;
  private final double warmup;
  private final double flat;
  private final double length;
  private final double startValue;
  private final double endValue;
  private final int patience;
  private final double threshold;
  private final String monitor;
  /** twopoint, ema, swa: T (NaN until {@link #resolveEnd}) and their own fields */
  private double end;
  private final int k;
  private final double beta;
  private final int snapshots;
  private final int every;
  // plateau state
  private double current;
  private double best;
  private int bad;

  /**
   * @param lr     the optimizer's learning rate (the default max)
   * @param runLength the run's length in the schedule's unit (the trapezoid's default length)
   */
  public RateSchedule(RateScheduleSpec s, double lr, double runLength, String field) throws SpecException {
    RateScheduleSpec spec = s == null ? new RateScheduleSpec() : s;
    Specs.oneOf(field + ".type", spec.type, TYPES);
    Specs.oneOf(field + ".unit", spec.unit, UNITS);
    type = spec.type;
    perStep = "step".equals(spec.unit);
    max = spec.max == null ? lr : spec.max;
    min = spec.min == null ? max / 10 : spec.min;
    cycle = spec.cycle == null ? 0 : spec.cycle;
    factor = spec.factor == null ? 0.1 : spec.factor;
    milestones = spec.milestones == null ? new double[0] : spec.milestones.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    highFirst = !"low".equals(spec.start);
    warmup = spec.warmup == null ? 0 : spec.warmup;
    flat = spec.flat == null ? warmup : spec.flat;
    length = spec.length == null ? runLength : spec.length;
    startValue = spec.startValue == null ? 0 : spec.startValue;
    endValue = spec.endValue == null ? 0 : spec.endValue;
    patience = spec.patience == null ? 3 : spec.patience;
    threshold = spec.threshold == null ? 1e-4 : spec.threshold;
    monitor = spec.monitor == null ? DEFAULT_MONITOR : spec.monitor;
    end = spec.end == null ? Double.NaN : spec.end;
    k = spec.k == null ? 0 : spec.k;
    beta = spec.beta == null ? Double.NaN : spec.beta;
    snapshots = spec.snapshots == null ? 0 : spec.snapshots;
    every = spec.every == null ? 0 : spec.every;
    current = max;
    best = higherIsBetter() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    Specs.require(max > 0 && Double.isFinite(max), field + ".max", "Field '" + field + ".max' must be a positive number, but it is " + max);
    Specs.require(min > 0 && min <= max, field + ".min", "Field '" + field + ".min' must be a positive number not above max (" + max + "), but it is " + min);
    Specs.require(factor > 0 && factor <= 1, field + ".factor", "Field '" + field + ".factor' must be in (0, 1], but it is " + factor);
    if (type.equals("cyclic") || type.equals("two-level")) {
      Specs.require(cycle > 0, field + ".cycle", "Field '" + field + ".cycle' (the cycle length in " + spec.unit
          + "s) must be positive for a " + type + " schedule, but it is " + spec.cycle);
    }
    if (spec.start != null) {
      Specs.oneOf(field + ".start", spec.start, Set.of("high", "low"));
    }
    if (type.equals("trapezoid")) {
      Specs.require(warmup >= 0 && flat >= warmup && length >= flat, field + ".length", "Fields '" + field
          + ".warmup', '.flat' and '.length' must satisfy 0 <= warmup <= flat <= length, but they are " + warmup
          + ", " + flat + ", " + length);
    }
    if (AVERAGING_TYPES.contains(type)) {
      Specs.require(perStep, field + ".unit", "Field '" + field + ".unit' must be 'step' for the " + type
          + " schedule (its formula counts updates), but it is '" + spec.unit + "'");
      Specs.require(spec.end == null || spec.end >= 0, field + ".end", "Field '" + field + ".end' must be a step (at least 0), but it is " + spec.end);
    }
    if (type.equals("twopoint")) {
      Specs.require(spec.k != null && spec.k >= 1, field + ".k", "Field '" + field + ".k' (the steps between the two averaged points) must be at least 1 for a twopoint schedule, but it is " + spec.k);
    }
    if (type.equals("ema")) {
      Specs.require(spec.beta != null && spec.beta > 0 && spec.beta < 1, field + ".beta", "Field '" + field + ".beta' (the EMA decay) must be in (0, 1) for an ema schedule, but it is " + spec.beta);
    }
    if (type.equals("swa")) {
      Specs.require(spec.snapshots != null && spec.snapshots >= 1, field + ".snapshots", "Field '" + field + ".snapshots' must be at least 1 for an swa schedule, but it is " + spec.snapshots);
      Specs.require(spec.every != null && spec.every >= 1, field + ".every", "Field '" + field + ".every' (the steps between snapshots) must be at least 1 for an swa schedule, but it is " + spec.every);
    }
    if (type.equals("plateau")) {
      Specs.require(patience >= 1, field + ".patience", "Field '" + field + ".patience' must be at least 1, but it is " + patience);
      Specs.oneOf(field + ".monitor", monitor, MONITORS);
    }
  }

  /**
   * The averaging schedules' T: the spec's {@code end}, else the run's last step; it must not be before the run's
   * last step (the average at T holds no later update, so the schedule has no rate for one).
   */
  public void resolveEnd(long totalSteps, String field) throws SpecException {
    if (!AVERAGING_TYPES.contains(type)) return;
    if (Double.isNaN(end)) end = totalSteps;
    Specs.require(end >= totalSteps, field + ".end", "Field '" + field + ".end' (T, the step the average is taken at) must"
        + " not be before the run's last step " + totalSteps + ", but it is " + (long) end);
  }

  /** T of an averaging schedule (NaN for the others or before {@link #resolveEnd}) */
  public double end() {
    return end;
  }

  /** true when x counts updates, false when it counts epochs */
  public boolean perStep() {
    return perStep;
  }

  /** the eval row a plateau schedule watches, e.g. acc_test */
  public String monitor() {
    return monitor;
  }

  /** the eval set the monitor reads, as eval.sets names it (acc_held_out: held-out) */
  public String monitoredSet() {
    return monitor.substring(monitor.indexOf('_') + 1).replace('_', '-');
  }

  /** accuracies improve upwards, losses downwards */
  public boolean higherIsBetter() {
    return monitor.startsWith("acc_");
  }

  public boolean isPlateau() {
    return type.equals("plateau");
  }

  /** eta at position x */
  public double value(double x) {
    return switch (type) {
      case "step" -> stepDecay(max, factor, milestones, x);
      case "cyclic" -> triangle(min, max, cycle, x);
      case "two-level" -> twoLevel(min, max, cycle, highFirst, x);
      case "trapezoid" -> trapezoid(startValue, max, endValue, warmup, flat, length, x);
      case "plateau" -> current;
      case "twopoint" -> twoPointRate(max, (long) end, k, (long) x);
      case "ema" -> emaRate(max, beta, (long) end, (long) x);
      case "swa" -> swaRate(max, snapshots, every, (long) end, (long) x);
      default -> max;
    };
  }

  /**
   * Plateau: one evaluation of the monitored quantity; returns true when the rate was just decayed. An evaluation
   * improves on the best so far when it is better by more than the relative {@code threshold} (PyTorch's
   * ReduceLROnPlateau, threshold_mode "rel"): a loss below best·(1 − threshold), an accuracy above best·(1 + threshold).
   */
  public boolean observe(double value) {
    if (!isPlateau()) return false;
    boolean better = higherIsBetter() ? value > best * (1 + threshold) || best == Double.NEGATIVE_INFINITY
        : value < best * (1 - threshold);
    if (better) {
      best = value;
      bad = 0;
      return false;
    }
    if (++bad >= patience) {
      current *= factor;
      bad = 0;
      return true;
    }
    return false;
  }

  /** plateau state for checkpoints: {current, best (±MAX_VALUE before the first evaluation: JSON has no infinity), bad} */
  public double[] state() {
    return new double[] { current, Math.max(-Double.MAX_VALUE, Math.min(best, Double.MAX_VALUE)), bad };
  }

  public void restore(double[] s) {
    current = s[0];
    best = Math.abs(s[1]) == Double.MAX_VALUE ? Math.copySign(Double.POSITIVE_INFINITY, s[1]) : s[1];
    bad = (int) s[2];
  }

  // ---- the closed forms ----

  /**
   * The position, in epochs, of the update that takes batch {@code batchIndex} (0-based) of 1-based epoch
   * {@code epoch}: (epoch − 1) + batchIndex / batchesPerEpoch. Epoch boundaries are exact integers, whatever a
   * dropped partial batch leaves out.
   */
  public static double epochPosition(int epoch, int batchIndex, int batchesPerEpoch) {
    return (epoch - 1) + (double) batchIndex / batchesPerEpoch;
  }

  public static double stepDecay(double lr, double factor, double[] milestones, double x) {
    int passed = 0;
    for (double m : milestones) {
      if (x >= m) passed++;
    }
    return lr * Math.pow(factor, passed);
  }

  /** triangle from min (x = 0) up to max (x = cycle/2) and back to min (x = cycle) */
  public static double triangle(double min, double max, double cycle, double x) {
    double p = (x / cycle) - Math.floor(x / cycle);
    return min + (max - min) * (1 - Math.abs(2 * p - 1));
  }

  /** the square wave: one value for the first half of each cycle, the other for the second */
  public static double twoLevel(double min, double max, double cycle, boolean highFirst, double x) {
    double p = (x / cycle) - Math.floor(x / cycle);
    return (p < 0.5) == highFirst ? max : min;
  }

  public static double trapezoid(double start, double peak, double end, double warmup, double flat, double length, double x) {
    if (x < warmup) return start + (peak - start) * x / warmup;
    if (x <= flat) return peak;
    if (x >= length) return end;
    return peak + (end - peak) * (x - flat) / (length - flat);
  }

  /**
   * The two-point average (θ_T + θ_{T−k})/2 as a schedule (paper 003 Lemma 2): update s (0 ≤ s < T) moves θ_T and,
   * when s &lt; T − k, θ_{T−k} too, so it enters the average with weight 1 before T − k and 1/2 after.
   */
  public static double twoPointRate(double lr, long end, int k, long s) {
    return s < end - k ? lr : lr / 2;
  }

  /**
   * EMA with decay β evaluated at T as a schedule (INSTRUMENTS.md §4): η_s = η(1 − β^{T−s}), the sum of the weights
   * (1 − β)β^{T−t} of the points t = s+1 … T that update s moves.
   */
  public static double emaRate(double lr, double beta, long end, long s) {
    return lr * (1 - Math.pow(beta, end - s));
  }

  /**
   * SWA of n snapshots every c steps ending at T (θ_T, θ_{T−c}, …, θ_{T−(n−1)c}) as a schedule: update s moves the
   * ⌈(T − s)/c⌉ snapshots taken after it, each of weight 1/n: η_s = η·min(1, ⌈(T−s)/c⌉/n). The multi-point average
   * (n points k apart) is the same with c = k.
   */
  public static double swaRate(double lr, int n, int c, long end, long s) {
    long after = Math.floorDiv(end - s + c - 1, c);
    return lr * Math.min(1.0, (double) after / n);
  }

  /** the mirrored batch size: S = round(batchSize * lr / eta), clamped to [1, n] */
  public static int mirroredBatch(int batchSize, double lr, double eta, int n) {
    long s = Math.round(batchSize * lr / eta);
    return (int) Math.max(1, Math.min(n, s));
  }
}
