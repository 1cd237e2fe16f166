package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.objective.WeightMatrix;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.Network;

/**
 * The objective: mean (not summed) gradients checked against finite differences of the mean loss in DOUBLE;
 * Hessian-vector products symmetric, equal to second differences of the loss, the same from a FLOAT objective (its
 * DOUBLE twin) and zero on batch-norm statistics; weight matrices where the flat layout says.
 */
public class ObjectiveTest {
  @TempDir
  static Path tmp;
  static ImageSet train;
  static ImageSet test;
  static Dl4jObjective f;
  static double[] theta;
  static final InputShape SHAPE = InputShape.flat(1, 6, 6);

  @BeforeAll
  static void setUp() throws Exception {
    Nd4jSetup.init();
    FashionMnist d = FashionMnist.load(TestData.writeIdx(tmp.resolve("d"), 64, 16, 6, 6, 9));
    train = d.train();
    test = d.test();
    f = objective("{\"type\":\"mlp\",\"hidden\":[7]}", DataType.DOUBLE);
    theta = randomPoint(f, 5, 0.3);
  }

  static Dl4jObjective objective(String modelJson, DataType dt) {
    ModelSpec m = ModelZooTest.model(modelJson);
    Network net = ModelBatches.build(m, dt, 3, SHAPE, 10);
    int[] evalIdx = new int[32];
    for (int i = 0; i < 32; i++) evalIdx[i] = i;
    return new Dl4jObjective(net, () -> ModelBatches.build(m, DataType.DOUBLE, 3, SHAPE, 10), train, test, evalIdx);
  }

  static double[] randomPoint(Objective o, long seed, double scale) {
    double[] t = new double[o.numParams()];
    boolean[] trainable = o.trainable();
    Random r = new Random(seed);
    for (int i = 0; i < t.length; i++) t[i] = trainable[i] ? scale * r.nextGaussian() : 1.0; // statistics: var 1
    return t;
  }

  static double[] randomDirection(int n, long seed) {
    Random r = new Random(seed);
    double[] u = new double[n];
    for (int i = 0; i < n; i++) u[i] = r.nextGaussian();
    return u;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  @Test
  public void gradientIsTheMeanOfPerExampleGradients() {
    DataView both = f.batch("two", new int[] { 3, 8 });
    double[] g = new double[f.numParams()];
    double[] g3 = new double[f.numParams()];
    double[] g8 = new double[f.numParams()];
    double l = f.gradient(both, theta, g);
    double l3 = f.gradient(f.batch("3", new int[] { 3 }), theta, g3);
    double l8 = f.gradient(f.batch("8", new int[] { 8 }), theta, g8);
    assertEquals((l3 + l8) / 2, l, 1e-14);
    for (int i = 0; i < g.length; i++) {
      assertEquals((g3[i] + g8[i]) / 2, g[i], 1e-14, "parameter " + i);
    }
    assertEquals(l, f.loss(both, theta), 1e-13, "gradient's loss = evaluate's loss");
  }

  @Test
  public void gradientMatchesFiniteDifferencesInDouble() {
    DataView v = f.view("train-eval");
    double[] g = new double[f.numParams()];
    f.gradient(v, theta, g);
    double[] u = randomDirection(g.length, 11);
    double eps = 1e-6 / Math.sqrt(dot(u, u));
    double[] plus = theta.clone();
    double[] minus = theta.clone();
    for (int i = 0; i < u.length; i++) {
      plus[i] += eps * u[i];
      minus[i] -= eps * u[i];
    }
    double gu = dot(g, u);
    double fd = (f.loss(v, plus) - f.loss(v, minus)) / (2 * eps);
    assertEquals(gu, fd, 1e-6 * Math.abs(gu) + 1e-9);
    assertTrue(Math.abs(gu) > 1e-3, "a non-trivial directional derivative: " + gu);
  }

  /** ⟨u, Hv⟩ = ⟨v, Hu⟩ for dense, batch-normalised and convolutional models */
  @Test
  public void hessianVectorProductsAreSymmetric() {
    for (String model : List.of("{\"type\":\"mlp\",\"hidden\":[7]}", "{\"type\":\"mlp\",\"hidden\":[8,6],\"batchNorm\":true}",
        "{\"type\":\"softmax\"}", "{\"type\":\"mlp\",\"hidden\":[9],\"activation\":\"tanh\"}")) {
      Dl4jObjective o = objective(model, DataType.DOUBLE);
      double[] th = randomPoint(o, 7, 0.4);
      DataView view = o.view("train-eval");
      double[] u = randomDirection(o.numParams(), 1);
      double[] v = randomDirection(o.numParams(), 2);
      double[] hu = new double[u.length];
      double[] hv = new double[u.length];
      o.hessianVector(view, th, u, hu);
      o.hessianVector(view, th, v, hv);
      double a = dot(u, hv);
      double b = dot(v, hu);
      assertTrue(Math.abs(a) > 1e-3, model + ": a non-trivial curvature " + a);
      assertEquals(a, b, 1e-7 * Math.abs(a), model + ": <u,Hv> = " + a + ", <v,Hu> = " + b);
    }
  }

  /**
   * Products at one θ share each chunk's forward pass (DenseHessian keeps it): a repeated product is the first one to
   * the last bit, a product at another θ is that θ's, and coming back to θ gives θ's product again (relu: f″ = 0;
   * tanh: the kept errors before f′ enter the R-pass).
   */
  @Test
  public void productsAtOneThetaShareTheirForwardPassAndEqualFreshOnes() {
    for (String model : List.of("{\"type\":\"mlp\",\"hidden\":[12,8]}",
        "{\"type\":\"mlp\",\"hidden\":[9,7],\"activation\":\"tanh\"}")) {
      Dl4jObjective o = objective(model, DataType.DOUBLE);
      DataView view = o.view("train-eval");
      double[] th = randomPoint(o, 5, 0.5);
      double[] other = randomPoint(o, 6, 0.5);
      double[] u = randomDirection(th.length, 3);
      double[] first = new double[th.length];
      double[] again = new double[th.length];
      double[] elsewhere = new double[th.length];
      double[] back = new double[th.length];
      double[] expected = new double[th.length];
      double loss = freshProduct(model, th, u, expected);
      assertEquals(loss, o.hessianVector(view, th, u, first), 0.0, model);
      assertEquals(loss, o.hessianVector(view, th, u, again), 0.0, model);
      o.hessianVector(view, other, u, elsewhere);
      o.hessianVector(view, th, u, back);
      assertArrayEquals(expected, first, 0.0, model + ": the first product");
      assertArrayEquals(first, again, 0.0, model + ": a product at the same θ");
      assertArrayEquals(first, back, 0.0, model + ": θ again after another θ");
      double[] expectedElsewhere = new double[th.length];
      freshProduct(model, other, u, expectedElsewhere);
      assertArrayEquals(expectedElsewhere, elsewhere, 0.0, model + ": the other θ's own product");
      assertTrue(Math.abs(dot(u, elsewhere) - dot(u, first)) > 1e-6 * Math.abs(dot(u, first)), model + ": θ matters");
    }
  }

  /** H(θ)u by a new objective, which has formed nothing before; the mean loss returned */
  private static double freshProduct(String model, double[] theta, double[] u, double[] out) {
    Dl4jObjective o = objective(model, DataType.DOUBLE);
    return o.hessianVector(o.view("train-eval"), theta, u, out);
  }

  /** dense stacks get the exact R-operator; it equals central differences of the gradient (which smooth units allow) */
  @Test
  public void exactProductsOfDenseStacksEqualDifferencesOfGradients() {
    for (String model : List.of("{\"type\":\"softmax\"}", "{\"type\":\"mlp\",\"hidden\":[9,7],\"activation\":\"tanh\"}",
        "{\"type\":\"mlp\",\"hidden\":[9],\"activation\":\"sigmoid\"}", "{\"type\":\"mlp\",\"hidden\":[12,8]}")) {
      Dl4jObjective o = objective(model, DataType.DOUBLE);
      assertEquals("exact (R-operator)", o.hessianMethod(), model);
      double[] th = randomPoint(o, 4, 0.5);
      DataView view = o.view("train-eval");
      double[] v = randomDirection(th.length, 6);
      double[] hv = new double[th.length];
      o.hessianVector(view, th, v, hv);
      double h = 1e-5 / Math.sqrt(dot(v, v));
      double[] plus = th.clone();
      double[] minus = th.clone();
      for (int i = 0; i < v.length; i++) {
        plus[i] += h * v[i];
        minus[i] -= h * v[i];
      }
      double[] gp = new double[th.length];
      double[] gm = new double[th.length];
      o.gradient(view, plus, gp);
      o.gradient(view, minus, gm);
      double err = 0;
      double norm = 0;
      for (int i = 0; i < v.length; i++) {
        double fd = (gp[i] - gm[i]) / (2 * h);
        err += (fd - hv[i]) * (fd - hv[i]);
        norm += hv[i] * hv[i];
      }
      assertTrue(norm > 1e-6, model + ": a non-trivial product");
      assertTrue(Math.sqrt(err / norm) < 1e-6, model + ": relative difference " + Math.sqrt(err / norm));
    }
    assertTrue(objective("{\"type\":\"mlp\",\"hidden\":[8,6],\"batchNorm\":true}", DataType.DOUBLE).hessianMethod()
        .startsWith("central differences"), "batch-normalised models use differences");
  }

  /** vᵀHv against the second difference of the loss along v, on a smooth (tanh) network */
  @Test
  public void hessianVectorMatchesSecondDifferencesOfTheLoss() {
    Dl4jObjective o = objective("{\"type\":\"mlp\",\"hidden\":[9],\"activation\":\"tanh\"}", DataType.DOUBLE);
    double[] th = randomPoint(o, 8, 0.5);
    DataView view = o.view("train-eval");
    double[] v = randomDirection(o.numParams(), 3);
    double[] hv = new double[v.length];
    double loss = o.hessianVector(view, th, v, hv);
    assertEquals(o.loss(view, th), loss, 1e-12, "the returned loss is L(theta)");
    double h = 1e-4 / Math.sqrt(dot(v, v));
    double[] plus = th.clone();
    double[] minus = th.clone();
    for (int i = 0; i < v.length; i++) {
      plus[i] += h * v[i];
      minus[i] -= h * v[i];
    }
    double second = (o.loss(view, plus) - 2 * o.loss(view, th) + o.loss(view, minus)) / (h * h);
    double vHv = dot(v, hv);
    assertEquals(second, vHv, 1e-5 * Math.abs(vHv), "second difference " + second + " vs vHv " + vHv);
  }

  /** training in FLOAT, curvature in DOUBLE: the FLOAT objective's products are its DOUBLE twin's */
  @Test
  public void floatObjectiveComputesHessianVectorProductsInDouble() {
    String model = "{\"type\":\"mlp\",\"hidden\":[7]}";
    Dl4jObjective fl = objective(model, DataType.FLOAT);
    Dl4jObjective db = objective(model, DataType.DOUBLE);
    assertEquals("float", fl.precision());
    assertEquals("double", fl.inDouble().precision());
    double[] th = randomPoint(db, 9, 0.3);
    double[] v = randomDirection(th.length, 4);
    double[] a = new double[th.length];
    double[] b = new double[th.length];
    fl.hessianVector(fl.view("train-eval"), th, v, a);
    db.hessianVector(db.view("train-eval"), th, v, b);
    assertArrayEquals(b, a, 1e-12);
    double la = fl.inDouble().loss(fl.inDouble().view("train-eval"), th);
    assertEquals(db.loss(db.view("train-eval"), th), la, 1e-14);
  }

  /** batch-norm statistics are not parameters: masked, zero in every product, mode "train" */
  @Test
  public void batchNormStatisticsAreNotCurvatureDirections() {
    Dl4jObjective o = objective("{\"type\":\"mlp\",\"hidden\":[8,6],\"batchNorm\":true}", DataType.DOUBLE);
    assertEquals("train", o.batchNormMode());
    assertEquals("none", f.batchNormMode());
    boolean[] trainable = o.trainable();
    int stats = 0;
    for (boolean b : trainable) stats += b ? 0 : 1;
    assertEquals(2 * (8 + 6), stats, "running mean and variance of two BN layers");
    double[] th = randomPoint(o, 2, 0.3);
    double[] v = randomDirection(th.length, 5);
    double[] hv = new double[th.length];
    o.hessianVector(o.view("train-eval"), th, v, hv);
    double[] masked = v.clone();
    for (int i = 0; i < v.length; i++) {
      if (!trainable[i]) {
        assertEquals(0.0, hv[i], 0.0, "statistic " + i);
        masked[i] = 0;
      }
    }
    double[] hm = new double[th.length];
    o.hessianVector(o.view("train-eval"), th, masked, hm);
    assertArrayEquals(hv, hm, 1e-12, "entries of v on statistics are ignored");
  }

  @Test
  public void weightMatricesAreWhereTheFlatLayoutSays() {
    Network net = ModelBatches.build(ModelZooTest.model("{\"type\":\"mlp\",\"hidden\":[5,4]}"), DataType.DOUBLE, 1, SHAPE, 10);
    Dl4jObjective o = new Dl4jObjective(net, null, train, test, new int[] { 0 });
    double[] th = net.params().toDoubleVector();
    List<WeightMatrix> ws = o.weightMatrices();
    assertEquals(List.of("0_W", "1_W", "2_W"), ws.stream().map(WeightMatrix::name).toList());
    Map<String, INDArray> table = net.paramTable();
    for (WeightMatrix w : ws) {
      INDArray view = table.get(w.name());
      assertEquals(view.size(0), w.rows());
      assertEquals(view.size(1), w.cols());
      for (int r = 0; r < w.rows(); r++) {
        for (int c = 0; c < w.cols(); c++) assertEquals(view.getDouble(r, c), w.get(th, r, c), 0.0);
      }
    }
  }

  @Test
  public void convolutionKernelsAreMatricesOfInputPatchesByFilters() {
    InputShape img = InputShape.image(1, 6, 6);
    Network net = ModelBatches.build(ModelZooTest.model("{\"type\":\"simplecnn\"}"), DataType.DOUBLE, 1, img, 10);
    Dl4jObjective o = new Dl4jObjective(net, null, train, test, new int[] { 0 });
    double[] th = net.params().toDoubleVector();
    WeightMatrix first = o.weightMatrices().get(0);
    INDArray k = net.paramTable().get(first.name());
    assertEquals(4, k.rank());
    assertEquals(k.size(0), first.cols(), "one column per filter");
    assertEquals(k.size(1) * k.size(2) * k.size(3), first.rows());
    int kh = (int) k.size(2);
    int kw = (int) k.size(3);
    assertEquals(k.getDouble(2, 0, 1, 2), first.get(th, 0 * kh * kw + 1 * kw + 2, 2), 0.0);
  }

  /**
   * the predicted probabilities of every test example: rows sum to 1 and are the deployed model's prediction (running
   * statistics for batch norm), so the mean of -log p[label] is the eval loss and the share of rows whose largest
   * entry is the label is the eval accuracy, for a plain MLP in DOUBLE and FLOAT and a batch-norm MLP
   */
  @Test
  public void probabilitiesAreTheSoftmaxOfTheDeployedModel() {
    for (String model : List.of("{\"type\":\"mlp\",\"hidden\":[7]}", "{\"type\":\"mlp\",\"hidden\":[8,6],\"batchNorm\":true}")) {
      for (DataType dt : List.of(DataType.DOUBLE, DataType.FLOAT)) {
        Dl4jObjective o = objective(model, dt);
        double[] t = randomPoint(o, 11, 0.4);
        DataView v = o.view("test");
        double[][] p = o.probabilities(v, t);
        assertEquals(test.size(), p.length, model);
        double loss = 0;
        int hits = 0;
        for (int i = 0; i < p.length; i++) {
          assertEquals(10, p[i].length);
          double sum = 0;
          int best = 0;
          for (int c = 0; c < 10; c++) {
            assertTrue(p[i][c] > 0 && p[i][c] < 1, model + " p[" + i + "][" + c + "] = " + p[i][c]);
            sum += p[i][c];
            if (p[i][c] > p[i][best]) best = c;
          }
          assertEquals(1.0, sum, dt == DataType.DOUBLE ? 1e-12 : 1e-5, model + " row " + i);
          int label = test.labels()[i];
          loss -= Math.log(p[i][label]);
          hits += best == label ? 1 : 0;
        }
        org.trajlab.api.objective.Evaluation e = o.evaluateInference(v, t);
        assertEquals(e.loss(), loss / p.length, dt == DataType.DOUBLE ? 1e-12 : 1e-5, model + " " + dt + ": mean -log p[label]");
        assertEquals(e.accuracy(), hits / (double) p.length, 0.0, model + " " + dt + ": accuracy of the largest entries");
      }
    }
  }
}
