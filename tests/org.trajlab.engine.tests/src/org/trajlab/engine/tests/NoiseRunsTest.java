package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.noise.NoiseQuantities.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.trajlab.api.objective.ParameterBlock;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.ProbeBatchNorm;
import org.trajlab.engine.data.Datasets;
import org.trajlab.engine.data.LoadedData;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.Network;
import org.trajlab.engine.optim.Npy;
import org.trajlab.probes.noise.internal.GramEstimate;
import org.trajlab.testing.Fixtures;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The noise probe of paper 004 through the engine: the fixture's gradient covariance K (points A and B, every one of
 * the 1,000 examples as its own group) in probe-only runs, the Gram route against the explicit covariance of
 * explicitly collected gradients on a tiny MLP and its eigenvectors against that covariance, the break-even
 * inequality on the synthetic quadratic (every example has the curvature of the mean: s² = 0), a batch-norm MLP's
 * ‖γ‖ and loss changes along training, and the named parameter blocks that locate γ.
 */
public class NoiseRunsTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
  }

  /** softmax regression on the first 1,000 Fashion-MNIST images, no updates; K from every example (M = 1) */
  static RunSpec fixtureSpec(String startCheckpoint) throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"fixture-noise\",\"precision\":\"double\",\"model\":{\"type\":\"softmax\",\"init\":\"zero\"},"
        + "\"data\":{\"trainSize\":1000,\"trainSelection\":\"first\",\"trainEvalSize\":1000,\"trainEvalSelection\":\"first\"},"
        + "\"training\":{\"steps\":0},\"eval\":{\"sets\":[\"train-eval\"]},\"checkpoints\":{\"end\":true},"
        + "\"probes\":[{\"type\":\"noise\",\"params\":{\"examples\":\"all\",\"M\":1,\"k\":5,\"hessianView\":\"train-full\","
        + "\"hessianTol\":1e-8}}]}");
    s.data.dir = Fixtures.fashionMnistDir().toString();
    if (startCheckpoint != null) s.start.checkpoint = startCheckpoint;
    return s;
  }

  static double[] ranks(RunFolder f, String quantity, long step) throws Exception {
    return TestData.rows(f, NOISE, quantity).stream().filter(r -> r.step() == step)
        .sorted((a, b) -> Double.compare(a.index(), b.index())).mapToDouble(MetricRow::value).toArray();
  }

  static double one(RunFolder f, String quantity) throws Exception {
    List<MetricRow> r = TestData.rows(f, NOISE, quantity);
    assertEquals(1, r.size(), quantity);
    return r.get(0).value();
  }

  static double relative(double expected, double actual) {
    return Math.abs(actual - expected) / Math.abs(expected);
  }

  /** K's top five and trace at A and B against the fixture to 1e-6, B started from A's checkpoint with b_k = 0.1 k */
  @Test
  public void fixtureCovarianceThroughProbeOnlyRuns() throws Exception {
    JsonNode fx = Fixtures.softmaxTrain1000();
    RunFolder a = RunFolder.create(tmp.resolve("fixture-a"));
    RunOutcome oa = runner.run(fixtureSpec(null), a, RunMonitor.NONE);
    assertEquals(RunState.DONE, oa.state(), oa.message());
    Path ck = a.file("checkpoints/step-00000000");
    double[] p = Npy.read(ck.resolve("params.npy"));
    for (int k = 0; k < 10; k++) p[7840 + k] = 0.1 * k;
    Npy.write(ck.resolve("params.npy"), p, false);
    RunFolder b = RunFolder.create(tmp.resolve("fixture-b"));
    RunOutcome ob = runner.run(fixtureSpec(ck.toString()), b, RunMonitor.NONE);
    assertEquals(RunState.DONE, ob.state(), ob.message());
    for (var e : Map.of("A_all_parameters_zero", a, "B_weights_zero_bias_0.1k", b).entrySet()) {
      JsonNode f = fx.get(e.getKey());
      RunFolder run = e.getValue();
      double[] eig = ranks(run, K_EIG, 0);
      assertEquals(5, eig.length);
      double worst = 0;
      for (int i = 0; i < 5; i++) {
        double rel = relative(f.get("K_top5").get(i).asDouble(), eig[i]);
        worst = Math.max(worst, rel);
        assertTrue(rel <= 1e-6, e.getKey() + " lambda_" + (i + 1) + "^K: " + eig[i] + " against " + f.get("K_top5").get(i));
      }
      double trace = one(run, K_TRACE);
      double traceRel = relative(f.get("K_trace").asDouble(), trace);
      assertTrue(traceRel <= 1e-6, e.getKey() + " Tr K " + trace + " against " + f.get("K_trace"));
      assertEquals(trace, one(run, K_TRACE_XM), 0, "M = 1");
      assertEquals(1, one(run, K_BATCH_SIZE));
      assertEquals(1000, one(run, K_BATCHES));
      assertEquals(eig[0], one(run, K_LAMBDA_MAX), 0);
      // the top Hessian eigenvalue on the same 1,000 examples is the fixture's
      double lambdaH = ranks(run, HESSIAN_EIG, 0)[0];
      assertTrue(relative(f.get("H_top10").get(0).asDouble(), lambdaH) <= 1e-6, e.getKey() + " lambda_1^H " + lambdaH);
      // the left-hand side from its parts: the spec's lr 0.1 and batch size 100, N = 1,000
      double s2 = one(run, CURVATURE_VARIANCE);
      double lhs = (1 - 0.1 * lambdaH) * (1 - 0.1 * lambdaH) + s2 * 0.01 * 900 / (100.0 * 999);
      assertEquals(lhs, one(run, STABILITY_LHS), 1e-12);
      assertTrue(s2 > 0, "softmax examples differ in curvature along e_1");
      assertTrue(one(run, GRAD_TOP5_RATIO) >= 1);
      @SuppressWarnings("unchecked")
      Map<String, Object> noise = (Map<String, Object>) run.readSummary().get(NOISE);
      assertNotNull(noise, "the probe's summary");
      System.out.printf("noise fixture %s: K top-5 worst relative error %.2e, trace %.2e%n", e.getKey(), worst, traceRel);
    }
  }

  static Dl4jObjective tinyMlp(int n, boolean batchNorm) throws Exception {
    Path dir = TestData.writeIdx(tmp.resolve("tiny-" + n + batchNorm), n, 10, 6, 6, 17);
    var data = org.trajlab.engine.data.FashionMnist.load(dir);
    ModelSpec m = ModelZooTest.model("{\"type\":\"mlp\",\"hidden\":[6,5]" + (batchNorm ? ",\"batchNorm\":true" : "")
        + "}");
    Network net = ModelBatches.build(m, DataType.DOUBLE, 5, InputShape.flat(1, 6, 6), 10);
    return new Dl4jObjective(net, null, data.train(), data.test(), GroupGradientsTest.range(n), ProbeBatchNorm.train(8, 0));
  }

  /**
   * On a tiny MLP the Gram estimate's eigenvalues are the explicit covariance's (gradients of each group collected
   * one by one as gradients of a batch view, P × P covariance), per example (activations and errors) and in groups
   * of 3 (streamed blocks); the eigenvectors mapped back are unit eigenvectors of that covariance.
   */
  @Test
  public void gramRouteEqualsTheExplicitCovarianceOnATinyMlp() throws Exception {
    Dl4jObjective o = tinyMlp(36, false);
    DataView v = o.view("train-eval");
    double[] theta = ObjectiveTest.randomPoint(o, 3, 0.4);
    for (int m : new int[] { 1, 3 }) {
      int[][] groups = new int[36 / m][];
      for (int k = 0; k < groups.length; k++) {
        groups[k] = new int[m];
        for (int j = 0; j < m; j++) groups[k][j] = (k * 7 + j * 13) % 36;
      }
      GramEstimate est = GramEstimate.of(o, v, theta, groups);
      List<double[]> gs = new ArrayList<>();
      for (int[] g : groups) {
        double[] grad = new double[o.numParams()];
        o.gradient(o.batch("explicit", g), theta, grad); // train-eval is 0..35: positions are training indices
        gs.add(grad);
      }
      double[][] c = covariance(gs);
      EigenDecomposition ed = new EigenDecomposition(new Array2DRowRealMatrix(c, false));
      double[] ev = ed.getRealEigenvalues().clone();
      Arrays.sort(ev);
      int top = groups.length - 1;
      for (int i = 0; i < top; i++) {
        double expected = ev[ev.length - 1 - i];
        assertEquals(expected, est.values()[i], 1e-9 * ev[ev.length - 1], "M = " + m + ": lambda_" + (i + 1));
      }
      double[][] e = est.eigenvectors(o, v, theta, 5);
      assertEquals(5, e.length);
      for (int i = 0; i < 5; i++) {
        assertEquals(1, Math.sqrt(dot(e[i], e[i])), 1e-12);
        double[] ce = times(c, e[i]);
        double res = 0;
        for (int q = 0; q < ce.length; q++) res += Math.pow(ce[q] - est.values()[i] * e[i][q], 2);
        assertTrue(Math.sqrt(res) <= 1e-8 * est.values()[0], "M = " + m + ": residual of e_" + (i + 1) + " " + Math.sqrt(res));
      }
    }
  }

  static double[][] covariance(List<double[]> gs) {
    int p = gs.get(0).length;
    double[] mean = new double[p];
    for (double[] g : gs) for (int i = 0; i < p; i++) mean[i] += g[i] / gs.size();
    double[][] c = new double[p][p];
    for (double[] g : gs) {
      for (int i = 0; i < p; i++) {
        double di = (g[i] - mean[i]) / gs.size();
        for (int j = 0; j < p; j++) c[i][j] += di * (g[j] - mean[j]);
      }
    }
    return c;
  }

  static double[] times(double[][] m, double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) out[i] = dot(m[i], v);
    return out;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  /**
   * The synthetic quadratic: ℓ_x(θ) = ½(θ − x)ᵀA(θ − x) has e ᵀH_x e = eᵀAe for every example, so s² = 0 and the
   * left-hand side is (1 − η λ_1)² with λ_1 = the fast eigenvalue
   */
  @Test
  public void quadraticStabilityIsOneMinusLrLambdaSquared() throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"quad-noise\",\"precision\":\"double\",\"model\":{\"type\":\"quadratic\",\"init\":\"normal\"},"
        + "\"data\":{\"dataset\":\"quadratic\",\"quadratic\":{\"dim\":6,\"fast\":1.5,\"slow\":0.05,\"fastCount\":2,"
        + "\"sigma\":0.5,\"samples\":400,\"testSamples\":100},\"trainEvalSize\":400},"
        + "\"optimizer\":{\"type\":\"sgd\",\"lr\":0.5},\"training\":{\"steps\":4,\"batchSize\":10},"
        + "\"eval\":{\"every\":4,\"sets\":[\"train-eval\"]},\"checkpoints\":{\"every\":1},"
        + "\"probes\":[{\"type\":\"noise\",\"params\":{\"L\":6,\"M\":5,\"hessianTol\":1e-9}}]}");
    RunFolder f = RunFolder.create(tmp.resolve("quad"));
    RunOutcome o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    for (long t = 0; t < 4; t++) {
      // the quadratic's Hessian-vector products are checked central differences: ~1e-9 relative
      assertEquals(1.5, ranks(f, HESSIAN_EIG, t)[0], 1e-8);
      assertEquals(0, ranks(f, CURVATURE_VARIANCE, t)[0], 1e-9);
      assertEquals(0.0625, ranks(f, STABILITY_LHS, t)[0], 1e-8, "(1 - 0.5 · 1.5)² at " + t);
    }
    // the train-eval loss change by hand: train-eval is every sample; the samples are used as FLOAT
    LoadedData data = Datasets.load(s.data, s.seed);
    double[] a = data.quadratic().model().eigenvalues();
    double[] x = data.quadratic().train().x();
    List<MetricRow> deltas = TestData.rows(f, NOISE, DELTA_LOSS_TRAIN_EVAL);
    assertEquals(4, deltas.size());
    for (int t = 0; t < 4; t++) {
      double before = quadraticLoss(a, x, Npy.read(f.file(t == 0 ? "checkpoints/step-00000001/theta0.npy"
          : String.format("checkpoints/step-%08d/params.npy", t))));
      double after = quadraticLoss(a, x, Npy.read(f.file(String.format("checkpoints/step-%08d/params.npy", t + 1))));
      assertEquals(before - after, deltas.get(t).value(), 1e-12 * before, "delta_loss_train_eval at " + t);
    }
    assertEquals(4, TestData.rows(f, NOISE, DELTA_LOSS_BATCH).size());
  }

  /** the mean over the samples of ½ Σ_j a_j (θ_j − x_j)² */
  static double quadraticLoss(double[] a, double[] x, double[] theta) {
    int d = a.length;
    int n = x.length / d;
    double s = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double r = theta[j] - (float) x[i * d + j];
        s += 0.5 * a[j] * r * r / n;
      }
    }
    return s;
  }

  /**
   * A batch-norm MLP trained six updates: ‖γ‖ of its last batch-norm layer is sqrt(5) at θ_0 (γ starts at 1), the
   * loss changes are written on every update (deltaEvery 1), K and the break-even inequality on the schedule's
   * updates only, and s² over whole train-mode batches
   */
  @Test
  public void batchNormMlpAlongTraining() throws Exception {
    Path dir = TestData.writeIdx(tmp.resolve("bn"), 96, 20, 6, 6, 23);
    RunSpec s = Specs.parse("{\"name\":\"bn-noise\",\"precision\":\"double\",\"model\":{\"type\":\"mlp\",\"hidden\":[6,5],"
        + "\"batchNorm\":true},\"data\":{\"dataset\":\"mnist\",\"trainEvalSize\":48,\"trainEvalSelection\":\"first\"},"
        + "\"optimizer\":{\"lr\":0.1},\"training\":{\"steps\":6,\"batchSize\":12},\"eval\":{\"every\":6},"
        + "\"checkpoints\":{\"every\":1},\"probes\":[{\"type\":\"noise\",\"schedule\":{\"steps\":[0,5]},"
        + "\"params\":{\"L\":5,\"M\":12,\"deltaEvery\":1,\"curvatureExamples\":30}}]}");
    s.data.dir = dir.toString();
    RunFolder f = RunFolder.create(tmp.resolve("bn-run"));
    RunOutcome o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    assertEquals(Math.sqrt(5), ranks(f, BN_GAMMA_NORM, 0)[0], 1e-12);
    assertEquals(6, TestData.rows(f, NOISE, BN_GAMMA_NORM).size());
    assertEquals(6, TestData.rows(f, NOISE, DELTA_LOSS_TRAIN_EVAL).size());
    assertEquals(List.of(0L, 5L), TestData.rows(f, NOISE, K_LAMBDA_MAX).stream().map(MetricRow::step).toList());
    assertEquals(List.of(0L, 5L), TestData.rows(f, NOISE, STABILITY_LHS).stream().map(MetricRow::step).toList());
    assertTrue(Files.readString(f.file(RunFolder.LOG)).contains("over 24 examples"), "30 rounded down to whole batches of 12");
  }

  /**
   * A float MLP trained four updates, K measured at steps 0 and 3 in double (the default) and with gramPrecision
   * "training" (float group gradients and products): the same groups, every eigenvalue to float's rounding but not
   * double's, the log naming each precision
   */
  @Test
  public void gramInTheTrainingPrecision() throws Exception {
    Path dir = TestData.writeIdx(tmp.resolve("gram-precision"), 200, 20, 8, 8, 29);
    double[][] k = new double[2][];
    String[] precisions = { "double", "training" };
    for (int i = 0; i < 2; i++) {
      RunSpec s = Specs.parse("{\"name\":\"gram-" + precisions[i] + "\",\"model\":{\"type\":\"mlp\",\"hidden\":[30,20]},"
          + "\"data\":{\"dataset\":\"mnist\",\"trainEvalSize\":100},\"optimizer\":{\"lr\":0.1},\"training\":{\"steps\":4,\"batchSize\":20},"
          + "\"probes\":[{\"type\":\"noise\",\"schedule\":{\"steps\":[0,3]},\"params\":{\"L\":8,\"M\":10,"
          + "\"breakEven\":false,\"gramPrecision\":\"" + precisions[i] + "\"}}]}");
      s.data.dir = dir.toString();
      assertEquals("float", s.precision);
      RunFolder f = RunFolder.create(tmp.resolve("gram-" + precisions[i]));
      RunOutcome o = runner.run(s, f, RunMonitor.NONE);
      assertEquals(RunState.DONE, o.state(), o.message());
      k[i] = TestData.rows(f, NOISE, K_EIG).stream().mapToDouble(MetricRow::value).toArray();
      String inLog = i == 0 ? "in double" : "in float";
      assertTrue(Files.readString(f.file(RunFolder.LOG)).contains("M = 10 on train-full " + inLog), "the log says " + inLog);
    }
    assertEquals(k[0].length, k[1].length);
    assertEquals(2 * 8, k[0].length, "L = 8 eigenvalues (the last 0 but for rounding) at each of two steps");
    double diff = 0;
    for (int j = 0; j < k[0].length; j++) {
      assertEquals(k[0][j], k[1][j], 1e-3 * k[0][0], "eigenvalue " + j);
      diff = Math.max(diff, Math.abs(k[0][j] - k[1][j]));
    }
    assertTrue(diff > 0, "float group gradients differ from double ones in rounding");
  }

  /** the named blocks tile the flat vector; the γ blocks hold the batch-norm scales DL4J's parameter table holds */
  @Test
  public void parameterBlocksLocateTheBatchNormScales() throws Exception {
    Dl4jObjective o = tinyMlp(24, true);
    List<ParameterBlock> blocks = o.parameterBlocks();
    long next = 0;
    for (ParameterBlock b : blocks) {
      assertEquals(next, b.offset(), b.name() + " follows the previous block");
      next += b.length();
    }
    assertEquals(o.numParams(), next, "the blocks cover the parameters");
    List<ParameterBlock> gammas = blocks.stream().filter(ParameterBlock::isBatchNormScale).toList();
    assertEquals(List.of(6, 5), gammas.stream().map(ParameterBlock::length).toList(), gammas.toString());
    double[] theta = ObjectiveTest.randomPoint(o, 4, 0.5);
    ModelSpec m = ModelZooTest.model("{\"type\":\"mlp\",\"hidden\":[6,5],\"batchNorm\":true}");
    Network net = ModelBatches.build(m, DataType.DOUBLE, 5, InputShape.flat(1, 6, 6), 10);
    net.params().assign(org.nd4j.linalg.factory.Nd4j.createFromArray(theta).reshape(net.params().shape()));
    for (ParameterBlock g : gammas) {
      assertArrayEquals(net.paramTable().get(g.name()).toDoubleVector(), g.of(theta), 0, g.name());
    }
    assertFalse(blocks.stream().anyMatch(b -> b.isBatchNormScale() && !b.name().endsWith("gamma")));
  }
}
