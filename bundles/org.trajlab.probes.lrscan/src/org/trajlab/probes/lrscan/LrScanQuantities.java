package org.trajlab.probes.lrscan;

/**
 * The names the mini-batch loss probes of paper 003 write into metrics.csv (INSTRUMENTS.md §4, the README's table):
 * the single-step learning-rate scan ({@link #LRSCAN}) and the fixed-batch side trip ({@link #SIDETRIP}). B is a
 * training batch, B′ a seeded held-out training batch of the same size (never B's examples), E the evaluation set
 * ({@code train-eval} by default).
 */
public final class LrScanQuantities {
  private LrScanQuantities() {}

  /** the probe column of the single-step scan's rows, and its registered probe type */
  public static final String LRSCAN = "lrscan";
  /** L_B(θ_t − λ g_B), index λ */
  public static final String LOSS_TRAIN_BATCH = "loss_train_batch";
  /** L_B′(θ_t − λ g_B), index λ */
  public static final String LOSS_HELDOUT_BATCH = "loss_heldout_batch";
  /** L_E(θ_t − λ g_B), index λ */
  public static final String LOSS_TRAIN_EVAL = "loss_train_eval";
  /** the smallest {@link #LOSS_TRAIN_BATCH} over the grid, and the λ where it is */
  public static final String LOSS_TRAIN_BATCH_MIN = "loss_train_batch_min";
  public static final String LAMBDA_TRAIN_BATCH_MIN = "lambda_train_batch_min";
  /** the smallest {@link #LOSS_HELDOUT_BATCH} over the grid, and the λ where it is */
  public static final String LOSS_HELDOUT_BATCH_MIN = "loss_heldout_batch_min";
  public static final String LAMBDA_HELDOUT_BATCH_MIN = "lambda_heldout_batch_min";
  /** the smallest {@link #LOSS_TRAIN_EVAL} over the grid, and the λ where it is */
  public static final String LOSS_TRAIN_EVAL_MIN = "loss_train_eval_min";
  public static final String LAMBDA_TRAIN_EVAL_MIN = "lambda_train_eval_min";
  /** ‖g_B‖, the norm of the scanned direction */
  public static final String GRAD_NORM_BATCH = "grad_norm_batch";

  /** the probe column of the fixed-batch side trip's rows, and its registered probe type */
  public static final String SIDETRIP = "sidetrip";
  /** L_B after k side-trip steps on the fixed batch B (index k = 0…steps) */
  public static final String TRIP_LOSS_TRAIN_BATCH = "trip_loss_train_batch";
  /** L_B′ after k side-trip steps (index k) */
  public static final String TRIP_LOSS_HELDOUT_BATCH = "trip_loss_heldout_batch";
  /** L_E after k side-trip steps (index k) */
  public static final String TRIP_LOSS_TRAIN_EVAL = "trip_loss_train_eval";
  /** L_B, L_B′ and L_E at the end of the side trip (after all its steps), as scalars for charts over t */
  public static final String TRIP_END_LOSS_TRAIN_BATCH = "trip_end_loss_train_batch";
  public static final String TRIP_END_LOSS_HELDOUT_BATCH = "trip_end_loss_heldout_batch";
  public static final String TRIP_END_LOSS_TRAIN_EVAL = "trip_end_loss_train_eval";
  /** L_E on the line between this trip's endpoint and the previous trip's, index α ∈ [0, 1] (α = 0: the previous) */
  public static final String TRIP_INTERP_LOSS_TRAIN_EVAL = "trip_interp_loss_train_eval";
  /** ‖endpoint − previous endpoint‖ of consecutive side trips */
  public static final String TRIP_ENDPOINT_DISTANCE = "trip_endpoint_distance";
  /** cos(g_B(θ_t), g_B(θ_t0)): the fixed batch's gradient now against at the first measured step t0 */
  public static final String COS_FIXED_BATCH_GRAD = "cos_fixed_batch_grad";
  /** cos(g_B(θ_t), g_B′(θ_t)): two independent batches at the same point, for reference */
  public static final String COS_INDEPENDENT_BATCH_GRAD = "cos_independent_batch_grad";

  /** the probe column of the branch probe's rows, and its registered probe type */
  public static final String BRANCH = "branch";
  /** ‖θ_t − θ_other‖ over the parameters of the loss: this run's point to the endpoint of the run named in {@code to} */
  public static final String DIST_TO_ENDPOINT = "dist_to_endpoint";
}
