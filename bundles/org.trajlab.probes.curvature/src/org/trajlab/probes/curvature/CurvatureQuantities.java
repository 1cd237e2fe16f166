package org.trajlab.probes.curvature;

/**
 * The names the Hessian probes of paper 001 write into metrics.csv (INSTRUMENTS.md sections 2 and 6, the README's
 * table): their probe columns and the quantity of each row. The probes write them from here, and tests, charts in
 * Java and readers of run folders take them from here; plugin.xml spells them in XML. The curvature probe measures at
 * theta_t (step t); subspace and nsgd write the eigenpair rows at each step they recompute their eigenvectors.
 */
public final class CurvatureQuantities {
  private CurvatureQuantities() {}

  /** the probe column of the curvature probe's rows, and its registered probe type */
  public static final String CURVATURE = "curvature";
  /** the probe column of subspace SGD's rows, and its registered probe type */
  public static final String SUBSPACE = "subspace";
  /** the probe column of Nudged SGD's rows, and its registered probe type */
  public static final String NSGD = "nsgd";

  /** lambda_i, index i = 1..K, largest |lambda| first (curvature, subspace, nsgd) */
  public static final String HESSIAN_EIG = "hessian_eig";
  /** the true residual ||H e_i - lambda_i e_i||, index i */
  public static final String HESSIAN_EIG_RESIDUAL = "hessian_eig_residual";
  /** 1 when that residual is at most tol·|lambda_1|, else 0, index i */
  public static final String HESSIAN_EIG_CONVERGED = "hessian_eig_converged";
  /** ||H||_F from the top 5: sqrt(sum_{i &lt;= 5} lambda_i^2) */
  public static final String HESSIAN_FROBENIUS_TOP5 = "hessian_frobenius_top5";
  /** ||grad L|| of the mean loss on the Hessian's subset, in double */
  public static final String GRAD_NORM = "grad_norm";
  /** Hutchinson's estimate of Tr(H) */
  public static final String HESSIAN_TRACE = "hessian_trace";
  /** the standard error of {@link #HESSIAN_TRACE} (more than one probe vector) */
  public static final String HESSIAN_TRACE_STDERR = "hessian_trace_stderr";
  /** the SLQ spectral density phi(lambda), index lambda */
  public static final String HESSIAN_DENSITY = "hessian_density";
  /** Delta_1 = lr · mean |&lt;g^(S), e_1&gt;| over seeded mini-batches */
  public static final String TYPICAL_STEP_TOP_EIG = "typical_step_top_eig";
  /** L(theta + k Delta_1 e_1), index k in [-8, 8] */
  public static final String LOSS_ALONG_TOP_EIG = "loss_along_top_eig";
  /** the smallest |k| of the grid changing the loss by 1% (absent when none does) */
  public static final String KMIN_1PCT = "kmin_1pct";
  /** the smallest |k| of the grid changing the loss by 10% (absent when none does) */
  public static final String KMIN_10PCT = "kmin_10pct";
  /** E_B[L(theta - a lr g~_1)] - L(theta), index a */
  public static final String STEP_TEST_DELTA = "step_test_delta";
  /** rho(W): the mean over the weight matrices of their largest singular value, at theta_t */
  public static final String WEIGHT_SPECTRAL_NORM_MEAN = "weight_spectral_norm_mean";

  /** the probe column of the endpoint-sharpness probe's rows (paper 002), and its registered probe type */
  public static final String ENDPOINT = "endpoint";
  /** the monitored validation quantity at θ_{t+1} of each measured update (index-free) */
  public static final String MONITOR = "monitor";
  /** at the run's last update: the step of the best-validation point and its monitored value */
  public static final String BEST_STEP = "best_step";
  public static final String BEST_MONITOR = "best_monitor";
  /** top-K Hessian eigenvalues (i) and ‖H‖_F from the top 5 at the best-validation point */
  public static final String HESSIAN_EIG_BEST = "hessian_eig_best";
  public static final String HESSIAN_FROBENIUS_TOP5_BEST = "hessian_frobenius_top5_best";
  /** the same at the endpoint θ_T */
  public static final String HESSIAN_EIG_LAST = "hessian_eig_last";
  public static final String HESSIAN_FROBENIUS_TOP5_LAST = "hessian_frobenius_top5_last";
}
