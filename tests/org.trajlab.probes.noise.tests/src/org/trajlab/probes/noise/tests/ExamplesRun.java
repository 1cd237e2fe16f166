package org.trajlab.probes.noise.tests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Evaluation;
import org.trajlab.api.objective.GradientSink;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.objective.ParameterBlock;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.StepContext;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.store.MetricRow;

/**
 * A run on a closed-form loss made of examples, playing the engine's part for the noise probe's tests: example i's
 * loss is ℓ_i(θ) = ½ c_i Σ_d a_d (θ_d − x_id)², so its gradient is c_i a ⊙ (θ − x_i), its Hessian c_i diag(a) and its
 * curvature along e is c_i Σ_d a_d e_d². Every view's loss, gradient and Hessian are means over its examples, so K,
 * its eigenvectors, the break-even inequality and the loss changes all have closed forms. The N training examples
 * x_i are seeded Gaussians scaled per coordinate by {@link #spread}; {@code train-eval} is the first 50 of them;
 * {@code test} is the training set too.
 */
public final class ExamplesRun implements RunContext, Objective {
  public final double[] a;
  /** c_i, each example's curvature scale (all 1 by default: every example has the curvature of the mean) */
  public final double[] c;
  public final double[][] x;
  public final RunSpec spec = new RunSpec();
  public final List<MetricRow> rows = new ArrayList<>();
  public final List<String> log = new ArrayList<>();
  public List<ParameterBlock> blocks = List.of();
  public int evaluations;

  /** N examples in R^P with per-coordinate spreads (x_id = spread_d · N(0, 1), seeded) */
  public ExamplesRun(double[] a, double[] spread, int n, long seed) {
    this.a = a;
    this.c = new double[n];
    Arrays.fill(c, 1);
    this.x = new double[n][a.length];
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) for (int d = 0; d < a.length; d++) x[i][d] = spread[d] * r.nextGaussian();
  }

  /** a view of training examples */
  public record View(String name, int[] idx) implements DataView {
    @Override
    public int size() {
      return idx.length;
    }
  }

  /** 0 .. n − 1 */
  public static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) r[i] = i;
    return r;
  }

  /** ℓ_i(θ) */
  public double exampleLoss(int i, double[] th) {
    double s = 0;
    for (int d = 0; d < a.length; d++) s += 0.5 * c[i] * a[d] * (th[d] - x[i][d]) * (th[d] - x[i][d]);
    return s;
  }

  /** the mean loss of the training examples idx */
  public double loss(int[] idx, double[] th) {
    double s = 0;
    for (int i : idx) s += exampleLoss(i, th) / idx.length;
    return s;
  }

  /** the mean gradient of the training examples idx */
  public double[] gradient(int[] idx, double[] th) {
    double[] g = new double[a.length];
    for (int i : idx) for (int d = 0; d < a.length; d++) g[d] += c[i] * a[d] * (th[d] - x[i][d]) / idx.length;
    return g;
  }

  private static int[] idx(DataView v) {
    return ((View) v).idx();
  }

  // ---- Objective ----
  @Override
  public int numParams() {
    return a.length;
  }

  @Override
  public DataView view(String name) {
    return switch (name) {
      case "train-full", "test" -> new View(name, range(x.length));
      case "train-eval" -> new View(name, range(Math.min(50, x.length)));
      default -> throw new IllegalArgumentException(name);
    };
  }

  @Override
  public DataView batch(String name, int[] trainIndices) {
    return new View(name, trainIndices.clone());
  }

  @Override
  public Evaluation evaluate(DataView view, double[] theta) {
    evaluations++;
    return new Evaluation(loss(idx(view), theta), Double.NaN, view.size());
  }

  @Override
  public double gradient(DataView view, double[] theta, double[] out) {
    System.arraycopy(gradient(idx(view), theta), 0, out, 0, a.length);
    return loss(idx(view), theta);
  }

  @Override
  public void groupGradients(DataView view, double[] theta, int[][] groups, GradientSink sink) {
    int[] v = idx(view);
    for (int k = 0; k < groups.length; k++) {
      int[] members = Arrays.stream(groups[k]).map(p -> v[p]).toArray();
      sink.accept(k, gradient(members, theta), loss(members, theta));
    }
  }

  @Override
  public double[] exampleCurvature(DataView view, double[] theta, double[] e, int[] positions) {
    double eae = 0;
    for (int d = 0; d < a.length; d++) eae += a[d] * e[d] * e[d];
    double[] out = new double[positions.length];
    for (int k = 0; k < positions.length; k++) out[k] = c[idx(view)[positions[k]]] * eae;
    return out;
  }

  @Override
  public String exampleCurvatureMethod() {
    return "closed form";
  }

  /** the mean curvature scale of the view's examples */
  public double meanC(int[] idx) {
    double s = 0;
    for (int i : idx) s += c[i] / idx.length;
    return s;
  }

  @Override
  public double hessianVector(DataView view, double[] theta, double[] v, double[] out) {
    double m = meanC(idx(view));
    for (int d = 0; d < a.length; d++) out[d] = m * a[d] * v[d];
    return loss(idx(view), theta);
  }

  @Override
  public String precision() {
    return "double";
  }

  @Override
  public List<ParameterBlock> parameterBlocks() {
    return blocks;
  }

  // ---- RunContext ----
  @Override
  public RunSpec spec() {
    return spec;
  }

  @Override
  public Objective objective() {
    return this;
  }

  @Override
  public double[] theta0() {
    return new double[a.length];
  }

  @Override
  public long totalSteps() {
    return 100;
  }

  @Override
  public MetricSink sink(String probe, long step, int epoch) {
    return new MetricSink() {
      @Override
      public void record(String quantity, double value) {
        rows.add(new MetricRow(step, epoch, probe, quantity, Double.NaN, value));
      }

      @Override
      public void record(String quantity, double index, double value) {
        rows.add(new MetricRow(step, epoch, probe, quantity, index, value));
      }
    };
  }

  @Override
  public void log(String line) {
    log.add(line);
  }

  /** update t: θ_{t+1} = θ − lr·g with g the mean gradient of the batch {@code batch} (training indices) */
  public StepContext step(long t, double[] theta, double lr, int[] batch) {
    double[] g = gradient(batch, theta);
    double[] next = new double[a.length];
    for (int d = 0; d < a.length; d++) next[d] = theta[d] - lr * g[d];
    return new StepContext() {
      @Override
      public long step() {
        return t;
      }

      @Override
      public int epoch() {
        return 1;
      }

      @Override
      public double[] theta() {
        return theta;
      }

      @Override
      public double[] thetaNext() {
        return next;
      }

      @Override
      public double[] gradient() {
        return g;
      }

      @Override
      public double[] previousGradient() {
        return null;
      }

      @Override
      public double lr() {
        return lr;
      }

      @Override
      public int batchSize() {
        return batch.length;
      }

      @Override
      public double batchLoss() {
        return (float) loss(batch, theta); // as in training precision: the probe must not use it
      }

      @Override
      public int[] batchIndices() {
        return batch;
      }

      @Override
      public MetricSink sink(String probe) {
        return ExamplesRun.this.sink(probe, t, 1);
      }
    };
  }

  /** the scalar row of {@code quantity} at {@code step} */
  public double value(long step, String quantity) {
    return rows.stream().filter(r -> r.step() == step && r.quantity().equals(quantity) && !r.hasIndex()).findFirst()
        .orElseThrow(() -> new AssertionError("no " + quantity + " at step " + step)).value();
  }

  /** the row of {@code quantity} at {@code step} and {@code index} */
  public double value(long step, String quantity, double index) {
    return rows.stream().filter(r -> r.step() == step && r.quantity().equals(quantity) && r.index() == index)
        .findFirst().orElseThrow(() -> new AssertionError("no " + quantity + "(" + index + ") at step " + step)).value();
  }

  public boolean has(long step, String quantity) {
    return rows.stream().anyMatch(r -> r.step() == step && r.quantity().equals(quantity));
  }
}
