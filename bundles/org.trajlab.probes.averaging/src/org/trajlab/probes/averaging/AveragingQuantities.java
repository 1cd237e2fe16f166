package org.trajlab.probes.averaging;

import java.util.List;

/**
 * The names the averaging probe (paper 003, INSTRUMENTS.md section 4) writes into metrics.csv: its probe column, the
 * averages, and the quantity of each row. For an average {@code avg} ({@code ema}, {@code swa}, {@code twopoint},
 * {@code multipoint}) and an evaluated set ({@code train_eval}, {@code test}, as the eval rows name them):
 * {@code loss_<avg>_<set>}, {@code acc_<avg>_<set>} (the canonical {@code loss_<avg>} / {@code acc_<avg>}, with the
 * set as the eval probe's {@code loss_<set>} names it) and {@code dist_<avg>}, the distance of the average from the
 * current point θ_t. Rows at step t describe the average of the points up to θ_t.
 */
public final class AveragingQuantities {
  private AveragingQuantities() {}

  /** the probe column of the averaging rows, and its registered probe type */
  public static final String AVERAGING = "averaging";

  /** EMA with decay β: θ̄_t = β·θ̄_{t−1} + (1−β)·θ_t */
  public static final String EMA = "ema";
  /** SWA: the mean of snapshots taken every c steps */
  public static final String SWA = "swa";
  /** the two-point average (θ_t + θ_{t−k})/2 */
  public static final String TWOPOINT = "twopoint";
  /** the multi-point average: the mean of n points k steps apart */
  public static final String MULTIPOINT = "multipoint";
  /** every average, in the order rows are written */
  public static final List<String> AVERAGES = List.of(EMA, SWA, TWOPOINT, MULTIPOINT);

  /** the number of snapshots in the SWA average so far (written with the swa rows) */
  public static final String SWA_SNAPSHOTS = "swa_snapshots";

  /** loss of the average on the set ({@code train-eval} or {@code train_eval}), e.g. {@code loss_ema_train_eval} */
  public static String loss(String average, String set) {
    return "loss_" + average + "_" + set.replace('-', '_');
  }

  /** accuracy of the average on the set, e.g. {@code acc_ema_test} */
  public static String acc(String average, String set) {
    return "acc_" + average + "_" + set.replace('-', '_');
  }

  /** ‖θ̄ − θ_t‖ over the parameters (batch-norm statistics left out), e.g. {@code dist_ema} */
  public static String dist(String average) {
    return "dist_" + average;
  }
}
