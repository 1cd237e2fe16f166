package org.trajlab.probes.curvature.internal;

import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.probe.ProbeParams;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.Sampling;
import org.trajlab.api.spec.SpecException;

/**
 * The params every probe that computes top Hessian eigenpairs shares, and what they decide: the Hessian's data view,
 * the seed and the Lanczos options of each computation (INSTRUMENTS.md section 2; the computations themselves and
 * their warm-start vectors are an {@link EigenTracker}'s).
 * <ul>
 * <li>{@code k}: K, the number of eigenpairs (1 to 30);</li>
 * <li>{@code subset}: examples of the training set the Hessian is taken on, a seeded random subset fixed for the
 * run; default 5% of {@code train-full}, at most 2,560; or {@code view}: a named data view instead
 * ({@code train-eval}, {@code train-full}, {@code test});</li>
 * <li>{@code tol}: Lanczos stops when every residual ||H e - lambda e|| &lt;= tol·|lambda_1| (default 1e-3);</li>
 * <li>{@code maxRestarts} (default 50), {@code maxHvps} (products per computation, default 1000);</li>
 * <li>{@code block}: Lanczos block size (default 1; at least the multiplicity of a repeated eigenvalue to see
 * it repeated);</li>
 * <li>{@code seed}: of the subset, the random start vectors and the mini-batches (default: the run's seed);</li>
 * <li>{@code warmStart}: start from the previous eigenvectors (default true), mixed with a fresh random vector of
 * equal norm so that a newly dominant direction is not missed (see {@link Lanczos}).</li>
 * </ul>
 */
public final class HessianSettings {
  public static final Set<String> PARAMS = Set.of("k", "subset", "view", "tol", "maxRestarts", "maxHvps", "block",
      "seed", "warmStart");
  public static final String SUBSET_VIEW = "curvature-subset";

  final int k;
  final Integer subset;
  final String view;
  final double tol;
  final int maxRestarts;
  final int maxHvps;
  final int block;
  final Long seed;
  final boolean warmStart;

  HessianSettings(int k, Integer subset, String view, double tol, int maxRestarts, int maxHvps, int block, Long seed,
      boolean warmStart) {
    this.k = k;
    this.subset = subset;
    this.view = view;
    this.tol = tol;
    this.maxRestarts = maxRestarts;
    this.maxHvps = maxHvps;
    this.block = block;
    this.seed = seed;
    this.warmStart = warmStart;
  }

  static Set<String> with(String... more) {
    Set<String> s = new TreeSet<>(PARAMS);
    s.addAll(Arrays.asList(more));
    return s;
  }

  static HessianSettings parse(ProbeParams p, String field, int defaultK) throws SpecException {
    String f = field + ".params";
    int k = p.integer("k", defaultK, 1, 30);
    Integer subset = p.has("subset") ? p.integer("subset", 0, 1, 10_000_000) : null;
    String view = p.has("view") ? p.string("view", null, Set.of("train-eval", "train-full", "test")) : null;
    if (subset != null && view != null) {
      throw new SpecException(f + ".view", "Fields '" + f + ".subset' and '" + f + ".view' exclude each other; give one.");
    }
    double tol = p.fraction("tol", 1e-3);
    int maxRestarts = p.integer("maxRestarts", 50, 0, 100_000);
    int maxHvps = p.integer("maxHvps", 1000, 1, 10_000_000);
    int block = p.integer("block", 1, 1, 30);
    Long seed = p.has("seed") ? (long) p.integer("seed", 0, 0, Integer.MAX_VALUE) : null;
    boolean warm = p.flag("warmStart", true);
    return new HessianSettings(k, subset, view, tol, maxRestarts, maxHvps, block, seed, warm);
  }

  long seed(RunContext run) {
    return seed != null ? seed : run.spec() == null ? 0 : run.spec().seed;
  }

  /** the default subset size: 5% of the training set, at least 1, at most 2,560 */
  public static int defaultSubset(int trainSize) {
    return Math.max(1, Math.min(2560, (int) Math.round(0.05 * trainSize)));
  }

  /** the view the Hessian is taken on (of the double-precision objective) */
  DataView view(Objective d, long seed) {
    if (view != null) return d.view(view);
    int n = d.view("train-full").size();
    int s = subset != null ? Math.min(subset, n) : defaultSubset(n);
    return d.batch(SUBSET_VIEW, sample(n, s, new Random(seed ^ 0x5DEECE66DL)));
  }

  /** s distinct indices of 0..n-1, ascending ({@link Sampling#distinct}) */
  static int[] sample(int n, int s, Random rnd) {
    return Sampling.distinct(n, s, rnd);
  }

  Lanczos.Options options(long seed, long step, boolean[] mask, double[][] previous) {
    return new Lanczos.Options().k(k).tol(tol).maxRestarts(maxRestarts).maxHvps(maxHvps).block(block)
        .seed(seed * 1_000_003L + step).mask(mask).warmStart(warmStart ? previous : null);
  }
}
