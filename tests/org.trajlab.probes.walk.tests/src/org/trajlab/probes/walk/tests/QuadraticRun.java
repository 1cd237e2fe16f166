package org.trajlab.probes.walk.tests;

import java.util.ArrayList;
import java.util.List;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Evaluation;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.StepContext;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.store.MetricRow;

/**
 * A run on the closed-form loss L(theta) = 1/2 sum_i a_i theta_i^2 (a quadratic, so every walk quantity has a
 * closed form), with gradient descent steps theta_{t+1} = theta_t - lr * g_t. It plays the engine's part for the
 * walk probe: it is the loss, not a stand-in for the probe under test.
 */
final class QuadraticRun implements RunContext, Objective {
  final double[] a;
  final double[] theta0;
  final List<MetricRow> rows = new ArrayList<>();
  int lossCalls;

  QuadraticRun(double[] a, double[] theta0) {
    this.a = a;
    this.theta0 = theta0;
  }

  static double loss(double[] a, double[] th) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += 0.5 * a[i] * th[i] * th[i];
    return s;
  }

  // ---- Objective ----
  @Override
  public int numParams() {
    return a.length;
  }

  @Override
  public DataView view(String name) {
    return new DataView() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int size() {
        return 1;
      }
    };
  }

  @Override
  public DataView batch(String name, int[] idx) {
    return view(name);
  }

  @Override
  public Evaluation evaluate(DataView view, double[] theta) {
    lossCalls++;
    return new Evaluation(loss(a, theta), Double.NaN, 1);
  }

  @Override
  public double gradient(DataView view, double[] theta, double[] out) {
    for (int i = 0; i < a.length; i++) out[i] = a[i] * theta[i];
    return loss(a, theta);
  }

  @Override
  public String precision() {
    return "double";
  }

  // ---- RunContext ----
  @Override
  public RunSpec spec() {
    return new RunSpec();
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
  }

  /** the step context of a gradient-descent update from theta with rate lr */
  StepContext step(long t, double[] theta, double lr, double[] previousGradient) {
    double[] g = new double[a.length];
    gradient(null, theta, g);
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
        return previousGradient;
      }

      @Override
      public double lr() {
        return lr;
      }

      @Override
      public int batchSize() {
        return 1;
      }

      @Override
      public double batchLoss() {
        return loss(a, theta);
      }

      @Override
      public int[] batchIndices() {
        return new int[] { 0 };
      }

      @Override
      public MetricSink sink(String probe) {
        return QuadraticRun.this.sink(probe, t, epoch());
      }
    };
  }

  double value(long step, String quantity) {
    return rows.stream().filter(r -> r.step() == step && r.quantity().equals(quantity)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + quantity + " at step " + step)).value();
  }

  boolean has(long step, String quantity) {
    return rows.stream().anyMatch(r -> r.step() == step && r.quantity().equals(quantity));
  }
}
