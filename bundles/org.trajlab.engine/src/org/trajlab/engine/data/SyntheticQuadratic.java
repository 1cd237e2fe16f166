package org.trajlab.engine.data;

import java.util.SplittableRandom;

import org.trajlab.api.spec.DataSpec;

/**
 * The synthetic quadratic model of INSTRUMENTS.md §4 (paper 003 §4 and §5.1), a model and its data in one, no
 * network: samples x ~ N(0, Σ) with Σ = diag(σ_j²), and the per-sample loss ℓ_x(θ) = ½(θ − x)ᵀA(θ − x) with
 * A = diag(a_j), "fast" coordinates of large a_j and "slow" ones of small a_j. The full loss is
 * L(θ) = E ℓ_x(θ) = ½θᵀAθ + ½tr(AΣ), minimal at θ* = 0.
 * <p>
 * The closed forms are static pure functions of arrays, so the trainer, the probes and the tests share one
 * definition. Samples of a set are rows of one flat array ({@link Samples}); a sample is addressed by its offset.
 */
public final class SyntheticQuadratic {
  private final double[] a;
  private final double[] sigma;

  /** a set of samples x, row i at {@code x[i*dim .. (i+1)*dim)} */
  public record Samples(int dim, double[] x) {
    public Samples {
      if (dim <= 0 || x.length % dim != 0) {
        throw new IllegalArgumentException(x.length + " numbers are not samples of dimension " + dim);
      }
    }

    public int size() {
      return x.length / dim;
    }

    /** a copy of sample i */
    public double[] row(int i) {
      return java.util.Arrays.copyOfRange(x, i * dim, (i + 1) * dim);
    }

    /** the samples at {@code idx}, in that order */
    public Samples select(int[] idx) {
      double[] out = new double[idx.length * dim];
      for (int i = 0; i < idx.length; i++) System.arraycopy(x, idx[i] * dim, out, i * dim, dim);
      return new Samples(dim, out);
    }
  }

  /**
   * @param a     the diagonal of A (positive)
   * @param sigma the standard deviation of each coordinate of x (Σ = diag(sigma²))
   */
  public SyntheticQuadratic(double[] a, double[] sigma) {
    if (a.length == 0 || a.length != sigma.length) {
      throw new IllegalArgumentException("A has " + a.length + " eigenvalues and Σ " + sigma.length);
    }
    this.a = a.clone();
    this.sigma = sigma.clone();
  }

  /** the model of a spec: the first fastCount eigenvalues fast, the others slow, Σ = sigma²·I */
  public static SyntheticQuadratic of(DataSpec.Quadratic q) {
    double[] a = new double[q.dim];
    double[] s = new double[q.dim];
    for (int j = 0; j < q.dim; j++) {
      a[j] = j < q.fastCount ? q.fast : q.slow;
      s[j] = q.sigma;
    }
    return new SyntheticQuadratic(a, s);
  }

  public int dim() {
    return a.length;
  }

  /** the diagonal of A, the Hessian of every ℓ_x and of L (a copy) */
  public double[] eigenvalues() {
    return a.clone();
  }

  /** the standard deviations σ_j of x (a copy) */
  public double[] sigmas() {
    return sigma.clone();
  }

  /** the diagonal of Σ, σ_j² */
  public double[] variances() {
    double[] v = new double[sigma.length];
    for (int j = 0; j < v.length; j++) v[j] = sigma[j] * sigma[j];
    return v;
  }

  /** n samples x ~ N(0, Σ), one after the other from {@code r} */
  public Samples samples(SplittableRandom r, int n) {
    int d = dim();
    double[] x = new double[n * d];
    double[] z = new double[d];
    for (int i = 0; i < n; i++) {
      standardNormals(r, z);
      for (int j = 0; j < d; j++) x[i * d + j] = sigma[j] * z[j];
    }
    return new Samples(d, x);
  }

  /**
   * Fills {@code z} with independent standard normals by the Box–Muller transform on {@link StrictMath}, in pairs
   * (an odd last one uses the cosine half only), so the samples of a seed are the same on every JVM.
   */
  public static void standardNormals(SplittableRandom r, double[] z) {
    for (int j = 0; j < z.length; j += 2) {
      double radius = StrictMath.sqrt(-2 * StrictMath.log(1 - r.nextDouble()));
      double angle = 2 * StrictMath.PI * r.nextDouble();
      z[j] = radius * StrictMath.cos(angle);
      if (j + 1 < z.length) z[j + 1] = radius * StrictMath.sin(angle);
    }
  }

  // ---- closed forms --------------------------------------------------------------------------------------------

  /** ℓ_x(θ) = ½ Σ_j a_j (θ_j − x_j)² for the sample at {@code x[off .. off+d)} */
  public static double sampleLoss(double[] a, double[] theta, double[] x, int off) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      double r = theta[j] - x[off + j];
      s += a[j] * r * r;
    }
    return 0.5 * s;
  }

  /** ∇ℓ_x(θ) = A(θ − x) into {@code out} */
  public static void sampleGradient(double[] a, double[] theta, double[] x, int off, double[] out) {
    for (int j = 0; j < a.length; j++) out[j] = a[j] * (theta[j] - x[off + j]);
  }

  /** the mean of ℓ_x(θ) over the samples {@code idx} of {@code set} */
  public static double meanLoss(double[] a, double[] theta, Samples set, int[] idx) {
    double s = 0;
    for (int i : idx) s += sampleLoss(a, theta, set.x(), i * set.dim());
    return s / idx.length;
  }

  /** the mean batch gradient over the samples {@code idx}: A(θ − x̄_B), into {@code out} */
  public static void meanGradient(double[] a, double[] theta, Samples set, int[] idx, double[] out) {
    int d = a.length;
    double[] mean = new double[d];
    for (int i : idx) {
      for (int j = 0; j < d; j++) mean[j] += set.x()[i * d + j];
    }
    for (int j = 0; j < d; j++) out[j] = a[j] * (theta[j] - mean[j] / idx.length);
  }

  /** the full loss L(θ) = E_x ℓ_x(θ) = ½θᵀAθ + ½tr(AΣ) for Σ = diag({@code variances}) */
  public static double expectedLoss(double[] a, double[] variances, double[] theta) {
    double s = 0;
    for (int j = 0; j < a.length; j++) s += a[j] * (theta[j] * theta[j] + variances[j]);
    return 0.5 * s;
  }

  /** ∇L(θ) = Aθ into {@code out} */
  public static void expectedGradient(double[] a, double[] theta, double[] out) {
    for (int j = 0; j < a.length; j++) out[j] = a[j] * theta[j];
  }

  /**
   * The stationary variance of coordinate j under SGD with step η on batches of S fresh samples: from
   * θ' = (1 − ηa)θ + ηa·x̄_B with Var x̄_B = σ²/S, v = (1 − ηa)²v + η²a²σ²/S gives v = ηaσ² / (S(2 − ηa)), the
   * ellipsoid of paper 003 Lemma 1 whose size grows like sqrt(η); it exists for 0 &lt; ηa &lt; 2. (Batches from a
   * finite sample set without replacement have a slightly smaller variance.)
   */
  public static double stationaryVariance(double a, double variance, double eta, int batchSize) {
    return eta * a * variance / (batchSize * (2 - eta * a));
  }
}
