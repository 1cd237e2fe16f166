package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.curvature.CurvatureQuantities.CURVATURE;
import static org.trajlab.probes.curvature.CurvatureQuantities.GRAD_NORM;
import static org.trajlab.probes.curvature.CurvatureQuantities.HESSIAN_EIG;
import static org.trajlab.probes.curvature.CurvatureQuantities.HESSIAN_EIG_CONVERGED;
import static org.trajlab.probes.curvature.CurvatureQuantities.HESSIAN_EIG_RESIDUAL;
import static org.trajlab.probes.curvature.CurvatureQuantities.HESSIAN_TRACE;
import static org.trajlab.probes.curvature.CurvatureQuantities.HESSIAN_TRACE_STDERR;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.data.Datasets;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.data.LoadedData;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.optim.Npy;
import org.trajlab.probes.curvature.internal.HessianOperator;
import org.trajlab.probes.curvature.internal.Hutchinson;
import org.trajlab.testing.Fixtures;

import com.fasterxml.jackson.databind.JsonNode;


/**
 * The curvature instruments through the engine (DL4J objective, Hessian-vector products by central differences in
 * DOUBLE, the curvature probe in probe-only runs and along training): the numbers of
 * the fixture {@code softmax-fashion-mnist-train1000.json} (carried by org.trajlab.testing), a dense eigendecomposition of a tiny trained MLP's
 * Hessian, and Nudged SGD ending sharper with γ = 0.1 than with γ = 1 (paper 001).
 */
public class CurvatureRunsTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
  }

  static JsonNode fixture() {
    return Fixtures.softmaxTrain1000();
  }

  /** softmax regression on the first 1,000 Fashion-MNIST training images, in DOUBLE, no updates */
  static RunSpec fixtureSpec(String startCheckpoint) throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"fixture\",\"precision\":\"double\",\"model\":{\"type\":\"softmax\",\"init\":\"zero\"},"
        + "\"data\":{\"trainSize\":1000,\"trainSelection\":\"first\",\"trainEvalSize\":1000,\"trainEvalSelection\":\"first\"},"
        + "\"training\":{\"steps\":0},\"eval\":{\"sets\":[\"train-eval\"]},\"checkpoints\":{\"end\":true},"
        + "\"probes\":[{\"type\":\"curvature\",\"params\":{\"view\":\"train-full\",\"k\":10,\"tol\":1e-7,\"block\":10,"
        + "\"maxHvps\":3000,\"hutchinson\":300,\"lossAlongTop\":false,\"stepTest\":false}}]}");
    if (startCheckpoint != null) s.start.checkpoint = startCheckpoint;
    return s;
  }

  static double[] ranks(RunFolder f, String probe, String quantity, long step) throws Exception {
    return TestData.rows(f, probe, quantity).stream().filter(r -> r.step() == step)
        .sorted((a, b) -> Double.compare(a.index(), b.index())).mapToDouble(MetricRow::value).toArray();
  }

  static double one(RunFolder f, String probe, String quantity) throws Exception {
    List<MetricRow> r = TestData.rows(f, probe, quantity);
    assertEquals(1, r.size(), quantity);
    return r.get(0).value();
  }

  static void assertRelative(double expected, double actual, double rel, String what) {
    assertEquals(expected, actual, rel * Math.abs(expected), what + ": expected " + expected + ", got " + actual);
  }

  /** fixture A (all parameters 0) and B (W = 0, b_k = 0.1 k) through probe-only runs, B started from a checkpoint */
  @Test
  public void softmaxFixturesThroughProbeOnlyRuns() throws Exception {
    JsonNode fx = fixture();
    RunFolder a = RunFolder.create(tmp.resolve("fixture-a"));
    RunOutcome oa = runner.run(fixtureSpec(null), a, RunMonitor.NONE);
    assertEquals(RunState.DONE, oa.state(), oa.message());
    JsonNode fa = fx.get("A_all_parameters_zero");
    assertRelative(fa.get("loss").asDouble(), one(a, "eval", "loss_train_eval"), 1e-7, "A loss");
    assertRelative(fa.get("grad_norm").asDouble(), one(a, CURVATURE, GRAD_NORM), 1e-6, "A gradient norm");
    double[] eigA = ranks(a, CURVATURE, HESSIAN_EIG, 0);
    assertRelative(fa.get("H_top10").get(0).asDouble(), eigA[0], 1e-6, "A lambda_1 (9-fold)");
    for (int i = 0; i < 10; i++) {
      assertRelative(fa.get("H_top10").get(i).asDouble(), eigA[i], 1e-6, "A lambda_" + (i + 1) + " with block 10");
    }

    // B: the same point with biases 0.1 k (W [784, 10] column-major first, then b [10])
    Path ck = a.file("checkpoints/step-00000000");
    double[] p = Npy.read(ck.resolve("params.npy"));
    assertEquals(7850, p.length);
    for (int k = 0; k < 10; k++) p[7840 + k] = 0.1 * k;
    Npy.write(ck.resolve("params.npy"), p, false);
    RunFolder b = RunFolder.create(tmp.resolve("fixture-b"));
    RunOutcome ob = runner.run(fixtureSpec(ck.toString()), b, RunMonitor.NONE);
    assertEquals(RunState.DONE, ob.state(), ob.message());
    JsonNode fb = fx.get("B_weights_zero_bias_0.1k");
    assertRelative(fb.get("loss").asDouble(), one(b, "eval", "loss_train_eval"), 1e-7, "B loss");
    assertRelative(fb.get("grad_norm").asDouble(), one(b, CURVATURE, GRAD_NORM), 1e-6, "B gradient norm");
    double[] eigB = ranks(b, CURVATURE, HESSIAN_EIG, 0);
    double[] res = ranks(b, CURVATURE, HESSIAN_EIG_RESIDUAL, 0);
    double[] conv = ranks(b, CURVATURE, HESSIAN_EIG_CONVERGED, 0);
    for (int i = 0; i < 10; i++) {
      assertRelative(fb.get("H_top10").get(i).asDouble(), eigB[i], 1e-6, "B lambda_" + (i + 1));
      assertEquals(1.0, conv[i], "B pair " + (i + 1) + " converged");
      assertTrue(res[i] <= 1e-6 * eigB[0], "B residual " + (i + 1) + ": " + res[i]);
    }
    // Hutchinson within 3 standard errors of the fixture's trace, in both points
    for (var e : Map.of(a, fa, b, fb).entrySet()) {
      double tr = one(e.getKey(), CURVATURE, HESSIAN_TRACE);
      double se = one(e.getKey(), CURVATURE, HESSIAN_TRACE_STDERR);
      double exact = e.getValue().get("H_trace").asDouble();
      assertTrue(Math.abs(tr - exact) <= 3 * se, "Hutchinson " + tr + " +- " + se + " vs " + exact);
    }
  }

  /** the exact trace by the same machinery: sum of e_i^T H e_i over all 7,850 unit vectors, engine HVPs */
  @Test
  public void exactTraceOfTheFixtureByHessianVectorProducts() throws Exception {
    JsonNode fx = fixture();
    RunSpec s = fixtureSpec(null);
    LoadedData data = Datasets.load(s.data, s.seed);
    var net = ModelZoo.build(s.model, DataType.DOUBLE, 0, InputShape.flat(1, 28, 28), 10);
    int[] all = new int[1000];
    for (int i = 0; i < all.length; i++) all[i] = i;
    Dl4jObjective o = new Dl4jObjective(net, null, data.train(), data.test(), all);
    DataView v = o.view("train-full");
    double[] theta = new double[7850];
    for (int k = 0; k < 10; k++) theta[7840 + k] = 0.1 * k;
    HessianOperator h = new HessianOperator() {
      @Override
      public int dim() {
        return 7850;
      }

      @Override
      public void apply(double[] u, double[] out) {
        o.hessianVector(v, theta, u, out);
      }
    };
    double exact = Hutchinson.exactTrace(h, o.trainable());
    assertRelative(fx.get("B_weights_zero_bias_0.1k").get("H_trace").asDouble(), exact, 1e-6, "B exact trace");
  }

  /** a tiny MLP trained a little: the probe's top eigenvalues are the dense Hessian's (built from P HVPs) */
  @Test
  public void probeEigenvaluesMatchADenseDecompositionOnATrainedTinyMlp() throws Exception {
    Path dir = TestData.writeIdx(tmp.resolve("tiny"), 120, 20, 6, 6, 5);
    RunSpec s = Specs.parse("{\"name\":\"tiny\",\"precision\":\"double\",\"model\":{\"type\":\"mlp\",\"hidden\":[8],\"init\":\"relu\"},"
        + "\"data\":{\"dataset\":\"mnist\",\"trainEvalSize\":64,\"trainEvalSelection\":\"first\"},"
        + "\"optimizer\":{\"lr\":0.1},\"training\":{\"steps\":30,\"batchSize\":12},\"eval\":{\"every\":30},"
        + "\"checkpoints\":{\"end\":true},\"probes\":[{\"type\":\"curvature\",\"schedule\":{\"steps\":[29]},"
        + "\"params\":{\"view\":\"train-eval\",\"k\":6,\"tol\":1e-8,\"maxHvps\":2000,\"lossAlongTop\":false,\"stepTest\":false}}]}");
    s.data.dir = dir.toString();
    RunFolder f = RunFolder.create(tmp.resolve("tiny-run"));
    RunOutcome o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    double[] probe = ranks(f, CURVATURE, HESSIAN_EIG, 29);
    assertEquals(6, probe.length);

    // the end point theta_30 (the checkpoint) measured by a probe-only run started from it
    RunSpec at = Specs.copy(s);
    at.training.steps = 0L;
    at.start.checkpoint = f.file("checkpoints/step-00000030").toString();
    at.probes.get(0).schedule = List.of();
    RunFolder g = RunFolder.create(tmp.resolve("tiny-at-30"));
    assertEquals(RunState.DONE, runner.run(at, g, RunMonitor.NONE).state());
    double[] atEnd = ranks(g, CURVATURE, HESSIAN_EIG, 30);

    var net = ModelZoo.build(s.model, DataType.DOUBLE, s.seed, InputShape.flat(1, 6, 6), 10);
    LoadedData data = Datasets.load(Specs.parse(Specs.toJson(s)).data, s.seed);
    int[] first = new int[64];
    for (int i = 0; i < 64; i++) first[i] = i;
    Dl4jObjective obj = new Dl4jObjective(net, null, data.train(), data.test(), first);
    double[] theta = Npy.read(f.file("checkpoints/step-00000030/params.npy"));
    int n = theta.length;
    assertTrue(n > 300 && n < 500, "a few hundred parameters: " + n);
    double[][] dense = new double[n][n];
    double[] e = new double[n];
    for (int j = 0; j < n; j++) {
      e[j] = 1;
      obj.hessianVector(obj.view("train-eval"), theta, e, dense[j]);
      e[j] = 0;
    }
    double asym = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        asym = Math.max(asym, Math.abs(dense[i][j] - dense[j][i]));
        double m = (dense[i][j] + dense[j][i]) / 2;
        dense[i][j] = m;
        dense[j][i] = m;
      }
    }
    double[] all = new EigenDecomposition(new Array2DRowRealMatrix(dense)).getRealEigenvalues();
    Double[] byMagnitude = Arrays.stream(all).boxed().sorted((x, y) -> Double.compare(Math.abs(y), Math.abs(x))).toArray(Double[]::new);
    assertTrue(asym < 1e-6 * Math.abs(byMagnitude[0]), "the FD Hessian is symmetric to " + asym);
    for (int i = 0; i < 6; i++) {
      assertRelative(byMagnitude[i], atEnd[i], 1e-6, "lambda_" + (i + 1) + " at the end point");
    }
    assertTrue(probe[0] > 0, "a positive top eigenvalue along training: " + Arrays.toString(probe));
  }

  /** paper 001: damping the top directions (gamma = 0.1) lets the run go where SGD (gamma = 1) cannot: sharper */
  @Test
  public void nudgedSgdWithSmallGammaEndsSharper() throws Exception {
    String base = "{\"name\":\"nsgd\",\"precision\":\"float\",\"model\":{\"type\":\"mlp\",\"hidden\":[32]},"
        + "\"data\":{\"trainSize\":1000,\"trainEvalSize\":500},\"optimizer\":{\"lr\":0.2},"
        + "\"training\":{\"steps\":%d,\"batchSize\":50},\"eval\":{\"every\":1000},\"checkpoints\":{\"end\":true},"
        + "\"probes\":[%s]}";
    RunFolder warm = RunFolder.create(tmp.resolve("nsgd-warm"));
    assertEquals(RunState.DONE, runner.run(Specs.parse(String.format(base, 20, "")), warm, RunMonitor.NONE).state());
    String ck = warm.file("checkpoints/step-00000020").toString();
    double[] lambda = new double[2];
    double[] gammas = { 0.1, 1.0 };
    for (int i = 0; i < 2; i++) {
      String probes = "{\"type\":\"nsgd\",\"params\":{\"gamma\":" + gammas[i] + ",\"k\":5,\"every\":10,\"subset\":256,\"tol\":1e-3}},"
          + "{\"type\":\"curvature\",\"schedule\":{\"steps\":[139]},\"params\":{\"subset\":256,\"k\":1,\"tol\":1e-4,"
          + "\"lossAlongTop\":false,\"stepTest\":false}}";
      RunSpec s = Specs.parse(String.format(base, 140, probes));
      s.start.checkpoint = ck;
      RunFolder f = RunFolder.create(tmp.resolve("nsgd-" + gammas[i]));
      RunOutcome o = runner.run(s, f, RunMonitor.NONE);
      assertEquals(RunState.DONE, o.state(), o.message());
      lambda[i] = ranks(f, CURVATURE, HESSIAN_EIG, 139)[0];
    }
    System.out.println("[nsgd] lambda_1 at update 139: gamma 0.1 -> " + lambda[0] + ", gamma 1 -> " + lambda[1]);
    assertTrue(lambda[0] > 1.2 * lambda[1], "NSGD gamma 0.1 ends sharper: lambda_1 " + lambda[0] + " vs SGD " + lambda[1]);
  }
}
