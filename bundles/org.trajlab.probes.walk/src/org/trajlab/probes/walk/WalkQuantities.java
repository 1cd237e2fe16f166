package org.trajlab.probes.walk;

/**
 * The names the walk of paper 000 writes into metrics.csv (INSTRUMENTS.md section 1, the README's table): its probe
 * column and the quantity of each row. The probe writes them from here, and tests, charts in Java and readers of run
 * folders take them from here; plugin.xml spells them in XML. Rows about update t (theta_t to theta_{t+1}) are
 * written at step t, the per-epoch rows at the epoch's last step.
 */
public final class WalkQuantities {
  private WalkQuantities() {}

  /** the probe column of the walk's rows, and its registered probe type */
  public static final String WALK = "walk";

  /** L(theta_t^alpha) along the update's line, index alpha = i / (n + 1), i = 0 .. n + 1 */
  public static final String LOSS_INTERP = "loss_interp";
  /** the valley floor F_t = min over alpha of L(theta_t^alpha) */
  public static final String VALLEY_FLOOR = "valley_floor";
  /** alpha* of the valley floor (interior: the step has a valley) */
  public static final String VALLEY_ALPHA = "valley_alpha";
  /** the height above the floor h_t = (L(theta_t) + L(theta_{t+1}) - 2 F_t) / 2 */
  public static final String HEIGHT = "height";
  /** 1 when the update crosses a barrier above the relative tolerance barrierTol, else 0 */
  public static final String BARRIER = "barrier";
  /** the highest interior loss minus max(L(theta_t), L(theta_{t+1})) when there is a barrier, else 0 */
  public static final String BARRIER_HEIGHT = "barrier_height";
  /** {@link #BARRIER_HEIGHT} relative to L(theta_t) */
  public static final String BARRIER_HEIGHT_REL = "barrier_height_rel";
  /** cos(g_{t-1}, g_t), from the second update on */
  public static final String COS_CONSECUTIVE_GRAD = "cos_consecutive_grad";
  /** ||theta_t - theta_0|| over the parameters (batch-norm statistics left out) */
  public static final String DIST_FROM_INIT = "dist_from_init";
  /** ||theta_t|| over the parameters */
  public static final String PARAM_NORM = "param_norm";

  /** per epoch: the number n of walks */
  public static final String WALKS_EPOCH = "walks_epoch";
  /** per epoch: the mean height */
  public static final String HEIGHT_EPOCH_MEAN = "height_epoch_mean";
  /** per epoch, when n &gt;= 2: the sample (n - 1) standard deviation of the heights */
  public static final String HEIGHT_EPOCH_STD = "height_epoch_std";
  /** per epoch, when n &gt;= 2: the sample (n - 1) variance of the heights */
  public static final String HEIGHT_EPOCH_VAR = "height_epoch_var";
  /** per epoch: the number of barriers */
  public static final String BARRIER_COUNT_EPOCH = "barrier_count_epoch";
  /** per epoch, when there were barriers: the mean of their relative heights */
  public static final String BARRIER_HEIGHT_REL_EPOCH_MEAN = "barrier_height_rel_epoch_mean";
}
