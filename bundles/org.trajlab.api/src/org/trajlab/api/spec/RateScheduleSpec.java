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
}
