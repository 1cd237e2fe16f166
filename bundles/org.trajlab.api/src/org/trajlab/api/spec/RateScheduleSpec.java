package org.trajlab.api.spec;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A learning-rate schedule (or, under {@code training.batchSchedule.of}, the schedule whose eta/S curve a batch-size
 * schedule mirrors). The position x is counted in {@code unit}s: "epoch" (examples seen / training-set size,
 * fractional) or "step" (updates done). Types (INSTRUMENTS.md section 3, paper 002 section 4.2, paper 000 App. C):
 * <ul>
 * <li>{@code constant}: the optimizer's lr;</li>
 * <li>{@code step}: lr * factor^(number of milestones &lt;= x);</li>
 * <li>{@code cyclic}: a triangle between {@code min} and {@code max} with period {@code cycle}, starting at min,
 * reaching max at half a cycle;</li>
 * <li>{@code two-level}: the discrete ("square") variant: {@code max} for the first half of each cycle and
 * {@code min} for the second ({@code start: "low"} swaps them);</li>
 * <li>{@code trapezoid}: linear warm-up from {@code startValue} to {@code max} until {@code warmup}, flat until
 * {@code flat}, linear anneal to {@code endValue} at {@code length};</li>
 * <li>{@code plateau}: the lr times {@code factor} each time the monitored evaluation loss has not improved by a
 * relative {@code threshold} for {@code patience} evaluations.</li>
 * <li>the equivalent schedules of trajectory averages (INSTRUMENTS.md section 4, paper 003 Lemma 2; counted in
 * steps, {@code end} = T the averaging's end, by default the run's last step): {@code twopoint} (lr until T − k,
 * then lr/2), {@code ema} (lr·(1 − beta^(T − s)) for update s), {@code swa} (lr·min(1, ceil((T − s)/every)/snapshots)).</li>
 * </ul>
 * Missing values: max = the optimizer's lr, min = max / 10, factor = 0.1, startValue = endValue = 0, patience 3,
 * threshold 1e-4, monitor loss_test.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RateScheduleSpec {
  public String type = "constant";
  public String unit = "epoch";
  public Double min;
  public Double max;
  public Double cycle;
  public Double factor;
  public List<Double> milestones;
  public String start;
  public Double warmup;
  public Double flat;
  public Double length;
  public Double startValue;
  public Double endValue;
  public Integer patience;
  public Double threshold;
  public String monitor;
  /** twopoint, ema, swa: T, the step the average is taken at (default: the run's last step) */
  public Long end;
  /** twopoint: k, the distance in steps of the two averaged points */
  public Integer k;
  /** ema: the decay beta in (0, 1) */
  public Double beta;
  /** swa: n, the number of snapshots averaged */
  public Integer snapshots;
  /** swa: c, the steps between snapshots */
  public Integer every;
}
