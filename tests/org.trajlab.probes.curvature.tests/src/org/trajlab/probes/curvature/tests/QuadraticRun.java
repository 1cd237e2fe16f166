package org.trajlab.probes.curvature.tests;

import java.util.ArrayList;
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
 * The closed-form loss L(theta) = 1/2 sum_i a_i theta_i^2 on every view (so the Hessian is diag(a), its eigenvalues
 * are the a_i, e_i the unit vectors, and every mini-batch gradient is a ⊙ theta), with exact Hessian-vector
 * products a ⊙ v. Entries marked untrainable have a_i = 0 and zero gradient. It plays the engine's part for the
 * curvature probes: it is the loss, not a stand-in for the probe under test. {@link #a} may be changed between
 * steps to move the eigenvectors.
 */
final class QuadraticRun implements RunContext, Objective {
  double[] a;
  final boolean[] trainable;
  final List<WeightMatrix> matrices;
  final List<MetricRow> rows = new ArrayList<>();
  final List<String> log = new ArrayList<>();
  final RunSpec spec = new RunSpec();
  int hvps;
  int gradients;
  int losses;
  int trainSize = 1000;

  QuadraticRun(double[] a, boolean[] trainable, List<WeightMatrix> matrices) {
    this.a = a;
    this.trainable = trainable;
    this.matrices = matrices;
  }

  double loss(double[] th) {
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

  @Override
  public double gradient(DataView view, double[] theta, double[] out) {
    gradients++;
    for (int i = 0; i < a.length; i++) out[i] = a[i] * theta[i];
    return loss(theta);
  }

  @Override
  public double hessianVector(DataView view, double[] theta, double[] v, double[] out) {
    hvps++;
    for (int i = 0; i < a.length; i++) out[i] = trainable[i] ? a[i] * v[i] : 0;
    return loss(theta);
  }

  @Override
  public String precision() {
    return "double";
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
    return new double[a.length];
  }

  @Override
  public long totalSteps() {
    return 100;
  }

  @Override
  public int stepsPerEpoch() {
    return 10;
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

  /** the step context of a gradient-descent update from theta with rate lr and batch size s */
  StepContext step(long t, double[] theta, double lr, int s) {
    double[] g = new double[a.length];
    for (int i = 0; i < a.length; i++) g[i] = a[i] * theta[i];
    double[] next = new double[a.length];
    for (int i = 0; i < a.length; i++) next[i] = theta[i] - lr * g[i];
    return new StepContext() {
      @Override
      public long step() {
        return t;
      }

      @Override
      public int epoch() {
        return (int) (t / 10) + 1;
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
        return s;
      }

      @Override
      public double batchLoss() {
        return loss(theta);
      }

      @Override
      public int[] batchIndices() {
        return new int[s];
      }

      @Override
      public MetricSink sink(String probe) {
        return QuadraticRun.this.sink(probe, t, epoch());
      }
    };
  }

  double value(long step, String quantity) {
    return rows.stream().filter(r -> r.step() == step && r.quantity().equals(quantity) && !r.hasIndex()).findFirst()
        .orElseThrow(() -> new AssertionError("no " + quantity + " at step " + step)).value();
  }

  double value(long step, String quantity, double index) {
    return rows.stream().filter(r -> r.step() == step && r.quantity().equals(quantity) && r.index() == index)
        .findFirst().orElseThrow(() -> new AssertionError("no " + quantity + "(" + index + ") at step " + step)).value();
  }

  boolean has(long step, String quantity) {
    return rows.stream().anyMatch(r -> r.step() == step && r.quantity().equals(quantity));
  }

  long count(String probe, String quantity) {
    return rows.stream().filter(r -> r.probe().equals(probe) && r.quantity().equals(quantity)).count();
  }
}
