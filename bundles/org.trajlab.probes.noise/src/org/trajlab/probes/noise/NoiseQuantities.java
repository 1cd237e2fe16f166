package org.trajlab.probes.noise;

/**
 * The names the noise probe of paper 004 writes into metrics.csv (INSTRUMENTS.md section 5, the README's table): its
 * probe column and the quantity of each row. The probe writes them from here; tests and readers of run folders take
 * them from here; plugin.xml spells them in XML.
 * <p>
 * K is estimated from L gradients of groups of M examples: the eigenvalues of their centred Gram matrix are those of
 * the sample covariance of the group gradients, which is about K/M, so every K quantity is written raw and times M
 * ({@code _xM}, the estimate of K itself), and M and L are rows of their own. With M = 1 both are the same.
 */
public final class NoiseQuantities {
  private NoiseQuantities() {}

  /** the probe column of the noise probe's rows, and its registered probe type */
  public static final String NOISE = "noise";

  /** eigenvalue i of the centred Gram matrix G (i = 1..k, largest first), raw */
  public static final String K_EIG = "k_eig";
  /** {@link #K_EIG} times M */
  public static final String K_EIG_XM = "k_eig_xM";
  /** lambda_1^K, the largest eigenvalue of G, raw */
  public static final String K_LAMBDA_MAX = "k_lambda_max";
  /** {@link #K_LAMBDA_MAX} times M */
  public static final String K_LAMBDA_MAX_XM = "k_lambda_max_xM";
  /** lambda_*^K, the (L-1)-th largest eigenvalue of G (the smallest non-zero one), raw */
  public static final String K_LAMBDA_MIN_NONZERO = "k_lambda_min_nonzero";
  /** {@link #K_LAMBDA_MIN_NONZERO} times M */
  public static final String K_LAMBDA_MIN_NONZERO_XM = "k_lambda_min_nonzero_xM";
  /** lambda_*^K / lambda_1^K (the same raw and times M) */
  public static final String K_CONDITIONING = "k_conditioning";
  /** Tr G, raw */
  public static final String K_TRACE = "k_trace";
  /** {@link #K_TRACE} times M: the estimate of Tr K */
  public static final String K_TRACE_XM = "k_trace_xM";
  /** M, the examples per group gradient of the estimate (1: per-example gradients) */
  public static final String K_BATCH_SIZE = "k_batch_size";
  /** L, the number of group gradients of the estimate */
  public static final String K_BATCHES = "k_batches";
  /** ||g|| / ||g_5||: a mini-batch gradient's norm over the norm of its projection onto the top-5 eigenvectors of K */
  public static final String GRAD_TOP5_RATIO = "grad_top5_ratio";
  /** L(theta_t) - L(theta_{t+1}) on update t's training batch (positive: the step reduced the loss) */
  public static final String DELTA_LOSS_BATCH = "delta_loss_batch";
  /** L(theta_t) - L(theta_{t+1}) on train-eval */
  public static final String DELTA_LOSS_TRAIN_EVAL = "delta_loss_train_eval";
  /** the top Hessian eigenvalues lambda_i^H (i = 1..hessianK, largest |lambda| first) on the probe's Hessian subset */
  public static final String HESSIAN_EIG = "hessian_eig";
  /** the true residual ||H e_i - lambda_i e_i||, index i */
  public static final String HESSIAN_EIG_RESIDUAL = "hessian_eig_residual";
  /** s^2: the sample variance over examples of the per-example curvature e_1^T H_i e_1 */
  public static final String CURVATURE_VARIANCE = "curvature_variance";
  /** (1 - lr lambda_1^H)^2 + s^2 lr^2 (N - S) / (S (N - 1)): SGD is unstable along e_1^H from 1 on (break-even) */
  public static final String STABILITY_LHS = "stability_lhs";
  /** ||gamma|| of the last batch-norm layer's scale, when the model has batch normalisation */
  public static final String BN_GAMMA_NORM = "bn_gamma_norm";
}
