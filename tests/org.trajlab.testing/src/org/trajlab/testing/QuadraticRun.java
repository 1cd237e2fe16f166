package org.trajlab.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Evaluation;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.objective.WeightMatrix;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.StepContext;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.store.MetricRow;

/**
 * A run on the closed-form loss L(θ) = ½ Σ_i a_i θ_i² on every view, playing the engine's part for probe tests: the
 * Hessian is diag(a) (eigenvalues a_i, eigenvectors the unit vectors; products a ⊙ v exact), every mini-batch
 * gradient is a ⊙ θ, and a gradient-descent update is θ − lr·a ⊙ θ, so every walk and curvature quantity has a
 * closed form. It is the loss, not a stand-in for the probe under test. Entries marked untrainable behave like
 * batch-norm statistics (zero gradient and Hessian). {@link #a} may be changed between steps to move the
 * eigenvectors. Epochs are 10 updates; the run is 100 updates long.
 */
public final class QuadraticRun implements RunContext, Objective {
  public double[] a;
  public final boolean[] trainable;
  public final List<WeightMatrix> matrices;
  public final double[] theta0;
  public final List<MetricRow> rows = new ArrayList<>();
  public final List<String> log = new ArrayList<>();
  public final RunSpec spec = new RunSpec();
  /** calls of {@link #hessianVector}, {@link #gradient} and {@link #evaluate} */
  public int hvps;
  public int gradients;
  public int losses;
  /** the size of the {@code train-full} view (others have 100 examples; named batches their index count) */
  public int trainSize = 1000;
  /**
   * the precision this run says its losses are evaluated in ({@code "double"}; {@code "float"} for probes whose
   * defaults depend on it, such as the walk's barrier tolerance); the closed form is computed in double either way
   */
  public String precision = "double";

  /** every entry trainable, no weight matrices, starting at {@code theta0} */
  public QuadraticRun(double[] a, double[] theta0) {
    this(a, all(a.length), List.of(), theta0);
  }

  /** starting at 0 */
  public QuadraticRun(double[] a, boolean[] trainable, List<WeightMatrix> matrices) {
    this(a, trainable, matrices, new double[a.length]);
  }

  private QuadraticRun(double[] a, boolean[] trainable, List<WeightMatrix> matrices, double[] theta0) {
    this.a = a;
    this.trainable = trainable;
    this.matrices = matrices;
    this.theta0 = theta0;
  }

  private static boolean[] all(int n) {
    boolean[] t = new boolean[n];
    Arrays.fill(t, true);
    return t;
  }

  /** the 1-based epoch of update t: epochs are 10 updates */
  public static int epoch(long t) {
    return (int) (t / 10) + 1;
  }

  /** L(θ) for this run's a */
  public double loss(double[] th) {
    return loss(a, th);
  }

  /** ½ Σ a_i θ_i² */
  public static double loss(double[] a, double[] th) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += 0.5 * a[i] * th[i] * th[i];
    return s;
  }

  // ---- Objective ----
  @Override
  public int numParams() {
    return a.length;
  }

  private static DataView view(String name, int size) {
    return new DataView() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  @Override
  public DataView view(String name) {
    return view(name, name.equals("train-full") ? trainSize : 100);
  }

  @Override
  public DataView batch(String name, int[] idx) {
    return view(name, idx.length);
  }

  @Override
  public Evaluation evaluate(DataView view, double[] theta) {
    losses++;
    return new Evaluation(loss(theta), Double.NaN, view.size());
  }

  /** out = diag(a) x on the trainable entries, 0 elsewhere: the gradient at x, and the Hessian times x */
  private void timesA(double[] x, double[] out) {
    for (int i = 0; i < a.length; i++) out[i] = trainable[i] ? a[i] * x[i] : 0;
  }

  @Override
  public double gradient(DataView view, double[] theta, double[] out) {
    gradients++;
    timesA(theta, out);
    return loss(theta);
  }

  @Override
  public double hessianVector(DataView view, double[] theta, double[] v, double[] out) {
    hvps++;
    timesA(v, out);
    return loss(theta);
  }

  @Override
  public String precision() {
    return precision;
  }

  /** the closed form is computed in double whatever {@link #precision} says */
  @Override
  public Objective inDouble() {
    return this;
  }

  @Override
  public boolean[] trainable() {
    return trainable.clone();
  }

  @Override
  public List<WeightMatrix> weightMatrices() {
    return matrices;
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
    return theta0.clone();
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

  /**
   * The step context of the gradient-descent update t from theta with rate lr, a batch of {@code batchSize} and the
   * previous update's gradient (null for none); its gradient is a ⊙ θ (not counted in {@link #gradients}).
   */
  public StepContext step(long t, double[] theta, double lr, int batchSize, double[] previousGradient) {
    double[] g = new double[a.length];
    timesA(theta, g);
    double[] next = new double[a.length];
    for (int i = 0; i < a.length; i++) next[i] = theta[i] - lr * g[i];
    return new StepContext() {
      @Override
      public long step() {
        return t;
      }

      @Override
      public int epoch() {
        return QuadraticRun.epoch(t);
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
        return previousGradient;
      }

      @Override
      public double lr() {
        return lr;
      }

      @Override
      public int batchSize() {
        return batchSize;
      }

      @Override
      public double batchLoss() {
        return loss(theta);
      }

      @Override
      public int[] batchIndices() {
        return new int[batchSize];
      }

      @Override
      public MetricSink sink(String probe) {
        return QuadraticRun.this.sink(probe, t, epoch());
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

  public long count(String probe, String quantity) {
    return rows.stream().filter(r -> r.probe().equals(probe) && r.quantity().equals(quantity)).count();
  }
}
