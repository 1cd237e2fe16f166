package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.ProbeBatchNorm;
import org.trajlab.engine.data.Datasets;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.data.LoadedData;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;
import org.trajlab.testing.Fixtures;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Gradients of groups of examples at one point (paper 004's noise instruments rest on them): streamed group
 * gradients, their Gram matrix (per-example Gram of a dense network from activations and errors, any other case block
 * by block), and each example's curvature along a direction. Checked against the fixtures' gradient covariance K,
 * against explicit gradients, and against explicit per-example Hessian-vector products.
 */
public class GroupGradientsTest {
  @TempDir
  static Path tmp;
  static ImageSet train;
  static ImageSet test;

  @BeforeAll
  static void data() throws Exception {
    Nd4jSetup.init();
    FashionMnist d = FashionMnist.load(TestData.writeIdx(tmp.resolve("d"), 48, 8, 6, 6, 13));
    train = d.train();
    test = d.test();
  }

  static Dl4jObjective objective(String modelJson, DataType dt, int[] view, ProbeBatchNorm bn) {
    ModelSpec m = ModelZooTest.model(modelJson);
    Network net = ModelBatches.build(m, dt, 5, InputShape.flat(1, 6, 6), 10);
    return new Dl4jObjective(net, () -> ModelBatches.build(m, DataType.DOUBLE, 5, InputShape.flat(1, 6, 6), 10), train,
        test, view, bn);
  }

  static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) r[i] = i;
    return r;
  }

  static int[][] singles(int n) {
    int[][] g = new int[n][];
    for (int i = 0; i < n; i++) g[i] = new int[] { i };
    return g;
  }

  static double[] point(Dl4jObjective o, long seed, double scale) {
    return ObjectiveTest.randomPoint(o, seed, scale);
  }

  static double[][] explicitGram(Dl4jObjective o, DataView v, double[] theta, int[][] groups) {
    double[][] g = new double[groups.length][];
    o.groupGradients(v, theta, groups, (k, grad, loss) -> g[k] = grad.clone());
    double[][] gram = new double[groups.length][groups.length];
    for (int a = 0; a < g.length; a++) {
      for (int b = 0; b < g.length; b++) {
        double s = 0;
        for (int i = 0; i < g[a].length; i++) s += g[a][i] * g[b][i];
        gram[a][b] = s;
      }
    }
    return gram;
  }

  static void assertMatrix(double[][] expected, double[][] actual, double rel, String what) {
    double scale = 0;
    double err = 0;
    for (int a = 0; a < expected.length; a++) {
      for (int b = 0; b < expected.length; b++) {
        scale = Math.max(scale, Math.abs(expected[a][b]));
        err = Math.max(err, Math.abs(expected[a][b] - actual[a][b]));
      }
    }
    assertTrue(scale > 0, what + ": a non-trivial matrix");
    assertTrue(err <= rel * scale, what + ": max error " + err + " of " + scale);
  }

  /** per-example gradients streamed one by one are each the gradient of a one-example view */
  @Test
  public void groupGradientsAreTheGradientsOfTheirExamples() {
    Dl4jObjective o = objective("{\"type\":\"mlp\",\"hidden\":[7]}", DataType.FLOAT, range(20), ProbeBatchNorm.train(100, 0));
    DataView v = o.view("train-eval");
    double[] theta = point(o, 2, 0.3);
    int[][] groups = { { 3 }, { 0, 5, 9 }, { 19 } };
    double[][] got = new double[3][];
    double[] losses = new double[3];
    o.groupGradients(v, theta, groups, (k, g, loss) -> {
      got[k] = g.clone();
      losses[k] = loss;
    });
    for (int k = 0; k < groups.length; k++) {
      int[] trainIdx = Arrays.stream(groups[k]).toArray(); // train-eval here is 0..19: positions are training indices
      double[] expected = new double[o.numParams()];
      double loss = o.inDouble().gradient(o.inDouble().batch("g" + k, trainIdx), theta, expected);
      assertEquals(loss, losses[k], 1e-12 * Math.abs(loss), "group " + k + " loss");
      for (int i = 0; i < expected.length; i++) assertEquals(expected[i], got[k][i], 1e-12 + 1e-10 * Math.abs(expected[i]));
    }
  }

  /** the per-example Gram of a dense ReLU MLP from activations and errors equals the explicit one; so do blocks */
  @Test
  public void gramRoutesEqualTheExplicitGram() {
    Dl4jObjective o = objective("{\"type\":\"mlp\",\"hidden\":[6,5]}", DataType.DOUBLE, range(24), ProbeBatchNorm.train(100, 0));
    DataView v = o.view("train-eval");
    double[] theta = point(o, 7, 0.4);
    int[][] singles = singles(24);
    assertMatrix(explicitGram(o, v, theta, singles), o.groupGram(v, theta, singles), 1e-10, "per-example Gram (activations and errors)");
    int[][] pairs = new int[12][];
    for (int k = 0; k < 12; k++) pairs[k] = new int[] { 2 * k, 2 * k + 1 };
    assertMatrix(explicitGram(o, v, theta, pairs), o.groupGram(v, theta, pairs), 1e-12, "mini-batch Gram (blocks)");
    // a convolutional network has no R-operator: its per-example Gram comes from streamed gradients
    Dl4jObjective cnn = objective("{\"type\":\"simplecnn\",\"init\":\"relu\"}", DataType.DOUBLE, range(8), ProbeBatchNorm.train(100, 0));
    DataView cv = cnn.view("train-eval");
    double[] ct = point(cnn, 3, 0.05);
    assertMatrix(explicitGram(cnn, cv, ct, singles(8)), cnn.groupGram(cv, ct, singles(8)), 1e-12, "CNN per-example Gram");
  }

  /**
   * A FLOAT objective's mini-batch Gram: its FLOAT gradients and products (a dense stack, a CNN) against the DOUBLE
   * Gram, to FLOAT's rounding but not to double's; its per-example Gram is the DOUBLE twin's
   */
  @Test
  public void floatGramIsTheDoubleGramToFloatRounding() {
    for (String model : new String[] { "{\"type\":\"mlp\",\"hidden\":[6,5]}", "{\"type\":\"simplecnn\",\"init\":\"relu\"}" }) {
      boolean cnn = model.contains("simplecnn");
      int n = cnn ? 12 : 24;
      Dl4jObjective o = objective(model, DataType.FLOAT, range(n), ProbeBatchNorm.train(100, 0));
      DataView v = o.view("train-eval");
      double[] theta = point(o, 7, cnn ? 0.05 : 0.4);
      int[][] triples = new int[n / 3][];
      for (int k = 0; k < triples.length; k++) triples[k] = new int[] { 3 * k, 3 * k + 1, 3 * k + 2 };
      double[][] exact = o.inDouble().groupGram(v, theta, triples);
      double[][] single = o.groupGram(v, theta, triples);
      assertMatrix(exact, single, 1e-5, model + ": FLOAT mini-batch Gram");
      double diff = 0;
      for (int a = 0; a < exact.length; a++) {
        for (int b = 0; b < exact.length; b++) diff = Math.max(diff, Math.abs(exact[a][b] - single[a][b]));
      }
      assertTrue(diff > 0, model + ": the FLOAT Gram is formed in FLOAT, not the DOUBLE twin's");
      assertMatrix(o.inDouble().groupGram(v, theta, singles(n)), o.groupGram(v, theta, singles(n)), 0, model + ": per-example Gram in DOUBLE");
    }
  }

  /** groups of one example of a batch-norm model are refused in a sentence */
  @Test
  public void batchNormRefusesGroupsOfOne() {
    Dl4jObjective o = objective("{\"type\":\"mlp\",\"hidden\":[6],\"batchNorm\":true}", DataType.DOUBLE, range(20),
        ProbeBatchNorm.train(10, 0));
    DataView v = o.view("train-eval");
    double[] theta = point(o, 1, 0.3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.groupGram(v, theta, singles(4)));
    assertTrue(e.getMessage().startsWith("per-example gradients of a batch-norm model are undefined in train mode"), e.getMessage());
    double[][] pairs = o.groupGram(v, theta, new int[][] { { 0, 1, 2 }, { 3, 4, 5 } });
    assertTrue(pairs[0][0] > 0 && pairs[1][1] > 0);
  }

  /** e^T H_i e: exact on a dense stack (mean = e^T H e), checked differences on a CNN; both against H_i e */
  @Test
  public void exampleCurvatureEqualsExplicitPerExampleProducts() {
    for (String model : new String[] { "{\"type\":\"mlp\",\"hidden\":[6],\"activation\":\"tanh\"}", "{\"type\":\"mlp\",\"hidden\":[6,4]}",
        "{\"type\":\"simplecnn\",\"init\":\"relu\"}" }) {
      boolean cnn = model.contains("simplecnn");
      int n = cnn ? 6 : 16;
      Dl4jObjective o = objective(model, DataType.DOUBLE, range(n), ProbeBatchNorm.train(100, 0));
      DataView v = o.view("train-eval");
      double[] theta = point(o, 11, cnn ? 0.05 : 0.4);
      Random r = new Random(4);
      double[] e = new double[o.numParams()];
      for (int i = 0; i < e.length; i++) e[i] = r.nextGaussian();
      int[] positions = range(n);
      double[] curvature = o.exampleCurvature(v, theta, e, positions);
      double[] hv = new double[e.length];
      double mean = 0;
      for (int i = 0; i < n; i++) {
        o.hessianVector(o.batch("one-" + i, new int[] { i }), theta, e, hv);
        double explicit = 0;
        for (int j = 0; j < e.length; j++) explicit += e[j] * hv[j];
        // differences: central ones agree to ~1e-6, an example at a ReLU/max-pool hinge takes a one-sided (first-order)
        // one; the reference H_i e is a checked central difference of gradients itself
        assertEquals(explicit, curvature[i], (cnn ? 1e-3 : 1e-8) * Math.max(1, Math.abs(explicit)), model + " example " + i);
        mean += curvature[i] / n;
      }
      o.hessianVector(v, theta, e, hv);
      double whole = 0;
      for (int j = 0; j < e.length; j++) whole += e[j] * hv[j];
      assertEquals(whole, mean, (cnn ? 1e-3 : 1e-9) * Math.max(1, Math.abs(whole)), model + ": the mean is e^T H e");
      assertTrue(o.exampleCurvatureMethod().startsWith(cnn ? "second differences" : "exact"), o.exampleCurvatureMethod());
    }
  }

  /**
   * The fixture's gradient covariance K = (1/N) Σ (g_i − ḡ)(g_i − ḡ)ᵀ over the first 1,000 Fashion-MNIST images, at
   * points A and B: its top five eigenvalues and trace are those of the centred Gram matrix of the per-example
   * gradients, to 1e-6.
   */
  @Test
  public void fixtureCovarianceFromThePerExampleGram() throws Exception {
    JsonNode fx = Fixtures.softmaxTrain1000();
    RunSpec s = Specs.parse("{\"model\":{\"type\":\"softmax\",\"init\":\"zero\"},\"data\":{\"trainSize\":1000,"
        + "\"trainSelection\":\"first\",\"trainEvalSize\":1000,\"trainEvalSelection\":\"first\"}}");
    s.data.dir = Fixtures.fashionMnistDir().toString();
    LoadedData data = Datasets.load(s.data, s.seed);
    Network net = ModelZoo.build(s.model, DataType.DOUBLE, 0, InputShape.flat(1, 28, 28), 10);
    Dl4jObjective o = new Dl4jObjective(net, null, data.train(), data.test(), range(1000));
    DataView v = o.view("train-eval");
    for (String point : new String[] { "A_all_parameters_zero", "B_weights_zero_bias_0.1k" }) {
      double[] theta = new double[7850];
      if (point.startsWith("B")) for (int k = 0; k < 10; k++) theta[7840 + k] = 0.1 * k;
      long t0 = System.nanoTime();
      double[][] raw = o.groupGram(v, theta, singles(1000));
      double seconds = (System.nanoTime() - t0) / 1e9;
      double[][] centred = centred(raw);
      double[] eig = new EigenDecomposition(new Array2DRowRealMatrix(centred, false)).getRealEigenvalues().clone();
      Arrays.sort(eig);
      double trace = 0;
      for (int i = 0; i < 1000; i++) trace += centred[i][i];
      JsonNode f = fx.get(point);
      for (int i = 0; i < 5; i++) {
        double expected = f.get("K_top5").get(i).asDouble();
        assertEquals(expected, eig[999 - i], 1e-6 * expected, point + " K lambda_" + (i + 1));
      }
      assertEquals(f.get("K_trace").asDouble(), trace, 1e-6 * f.get("K_trace").asDouble(), point + " Tr K");
      System.out.println("fixture " + point + ": per-example Gram of 1,000 examples in " + seconds + " s");
    }
  }

  /** (1/N) C with C the raw Gram centred: ⟨g_i − ḡ, g_j − ḡ⟩ from ⟨g_i, g_j⟩ alone */
  static double[][] centred(double[][] raw) {
    int n = raw.length;
    double[] row = new double[n];
    double all = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) row[i] += raw[i][j] / n;
      all += row[i] / n;
    }
    double[][] c = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) c[i][j] = (raw[i][j] - row[i] - row[j] + all) / n;
    }
    return c;
  }
}
