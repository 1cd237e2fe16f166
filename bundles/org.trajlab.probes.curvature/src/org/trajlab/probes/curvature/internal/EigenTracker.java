package org.trajlab.probes.curvature.internal;

import static org.trajlab.probes.curvature.CurvatureQuantities.*;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.ProbeState;
import org.trajlab.api.probe.RunContext;

/**
 * The top-K Hessian eigenpairs a probe follows along the trajectory (INSTRUMENTS.md section 2): the curvature probe
 * measures them at each due update, subspace SGD and Nudged SGD transform the gradient with them. One tracker holds
 * what following them takes: the DOUBLE objective, the Hessian's data view and the seed, fixed for the run
 * ({@link HessianSettings}); the latest eigenvectors, which warm-start the next computation; the cost so far
 * (computations, Hessian-vector products, time), which checkpoints carry so that a resumed run's summary covers the
 * time before the interruption; and the rows each computation writes. Its state holds the eigenvectors as base64
 * doubles ({@link ProbeState#vectorsOf}): K·P·8·4/3 bytes per checkpoint.
 */
final class EigenTracker {
  private final HessianSettings hs;
  /** the name of the computation count in the state: "measurements" (curvature), "computations" (subspace, nsgd) */
  private final String countKey;

  private Objective d;
  private DataView view;
  private long seed;
  private boolean[] mask;
  private double[][] vectors;
  /** whether the latest computation started from the previous eigenvectors */
  private boolean warm;
  private long count;
  private long hvps;
  private long nanos;

  EigenTracker(HessianSettings hs, String countKey) {
    this.hs = hs;
    this.countKey = countKey;
  }

  /** at the start of the run: the DOUBLE objective, the seed, the Hessian's view and the trainable entries */
  void start(RunContext run) {
    d = run.objective().inDouble();
    seed = hs.seed(run);
    view = hs.view(d, seed);
    mask = d.trainable();
  }

  /** the objective every product, loss and gradient comes from: the run's, in DOUBLE */
  Objective objective() {
    return d;
  }

  /** the data view the Hessian is taken on (null before {@link #start}) */
  DataView view() {
    return view;
  }

  long seed() {
    return seed;
  }

  /** the entries that are parameters (batch-norm statistics are not): random and direction vectors stay 0 elsewhere */
  boolean[] mask() {
    return mask;
  }

  /** the Hessian of the mean loss on the view at theta, as an operator of Hessian-vector products in double */
  HessianOperator hessian(double[] theta) {
    return new HessianOperator() {
      @Override
      public int dim() {
        return d.numParams();
      }

      @Override
      public void apply(double[] v, double[] out) {
        d.hessianVector(view, theta, v, out);
      }
    };
  }

  /**
   * The top-K eigenpairs of h, the Hessian at update {@code step}, started from the previous eigenvectors when the
   * settings say so (mixed with a fresh random part, see {@link Lanczos}); they become the latest.
   */
  Lanczos.Eigenpairs compute(HessianOperator h, long step) {
    warm = hs.warmStart && vectors != null;
    Lanczos.Eigenpairs r = Lanczos.topK(h, hs.options(seed, step, mask, vectors));
    vectors = r.vectors();
    return r;
  }

  /** the latest eigenvectors (e_1 first), or null before the first computation */
  double[][] vectors() {
    return vectors;
  }

  /** adds one computation to the cost: the products and the time it took (with whatever the probe measured beside) */
  void charge(long products, long nanoseconds) {
    count++;
    hvps += products;
    nanos += nanoseconds;
  }

  long count() {
    return count;
  }

  long hvps() {
    return hvps;
  }

  /** the time charged so far, before an interruption included */
  double seconds() {
    return nanos / 1e9;
  }

  /** Lanczos stops when every residual is at most tol·|lambda_1| */
  double tol() {
    return hs.tol;
  }

  /** how batch normalisation enters the products ("none", "train", "inference"), null before {@link #start} */
  String batchNormMode() {
    return d == null ? null : d.batchNormMode();
  }

  /** hessian_eig, hessian_eig_residual, hessian_eig_converged (index i = 1..K) and hessian_frobenius_top5 */
  static void record(MetricSink out, Lanczos.Eigenpairs r) {
    for (int i = 0; i < r.k(); i++) {
      out.record(HESSIAN_EIG, i + 1, r.values()[i]);
      out.record(HESSIAN_EIG_RESIDUAL, i + 1, r.residuals()[i]);
      out.record(HESSIAN_EIG_CONVERGED, i + 1, r.converged()[i] ? 1 : 0);
    }
    out.record(HESSIAN_FROBENIUS_TOP5, CurvatureMath.frobeniusTop5(r.values()));
  }

  /** the latest computation for the run log: "K=5 by lanczos, warm start, 0 restarts, 5/5 converged at tol 1.0e-03" */
  String describe(Lanczos.Eigenpairs r) {
    return String.format(Locale.ROOT, "K=%d by %s, %s start, %d restarts, %d/%d converged at tol %.1e", r.k(),
        r.method(), warm ? "warm" : "cold", r.restarts(), convergedCount(r), r.k(), hs.tol);
  }

  /** where the Hessian is taken, for the run log: "view curvature-subset (200 examples), batch-norm none" */
  String where() {
    return String.format(Locale.ROOT, "view %s (%d examples), batch-norm %s", view.name(), view.size(),
        d.batchNormMode());
  }

  private static int convergedCount(Lanczos.Eigenpairs r) {
    int c = 0;
    for (boolean b : r.converged()) if (b) c++;
    return c;
  }

  /** a probe's state holding the eigenvectors and the cost, for the probe to add its own */
  Map<String, Object> save() {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("vectors", ProbeState.vectorsOf(vectors));
    state.put(countKey, count);
    state.put("hvps", hvps);
    state.put("nanos", nanos);
    return state;
  }

  /**
   * Takes back what {@link #save} wrote (a checkpoint without the time, an older one, restores 0 seconds) and returns
   * the state for the probe to read its own.
   */
  ProbeState restore(Map<String, Object> saved) {
    ProbeState state = new ProbeState(saved);
    vectors = state.vectors("vectors");
    count = state.whole(countKey);
    hvps = state.whole("hvps");
    nanos = state.whole("nanos", 0);
    return state;
  }
}
