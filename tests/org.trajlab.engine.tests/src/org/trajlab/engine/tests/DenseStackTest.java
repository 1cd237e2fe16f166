package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.models.DenseStack;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;

/**
 * The dense-stack fast path against DL4J's own forward and backward pass on the same network: every plain dense
 * model of the zoo (softmax regression; MLPs with relu, tanh, sigmoid and identity units), in float and double,
 * at initialisation and away from it, for several batch sizes, gives DL4J's gradient, loss and softmax output to the
 * last bit; models it does not cover (batch normalisation, convolutions) are left to DL4J.
 */
public class DenseStackTest {
  static final InputShape FLAT = InputShape.flat(1, 28, 28);
  static final String[] MODELS = { "{\"type\":\"softmax\"}", "{\"type\":\"mlp\",\"hidden\":[300,100]}",
      "{\"type\":\"mlp\",\"hidden\":[50],\"activation\":\"tanh\"}",
      "{\"type\":\"mlp\",\"hidden\":[40,30],\"activation\":\"sigmoid\"}",
      "{\"type\":\"mlp\",\"hidden\":[20],\"activation\":\"identity\"}" };

  @BeforeAll
  static void nd4j() {
    Nd4jSetup.init();
  }

  /** a network on DL4J's own passes (the fast path switched off while it is built) */
  static Network dl4jNetwork(ModelSpec m, DataType dt) throws Exception {
    String before = System.getProperty("trajlab.denseStack");
    System.setProperty("trajlab.denseStack", "false");
    try {
      return ModelZoo.build(m, dt, 3, FLAT, 10);
    } finally {
      if (before == null) System.clearProperty("trajlab.denseStack");
      else System.setProperty("trajlab.denseStack", before);
    }
  }

  /** pixel-like rows in [0, 1) and one-hot labels, seeded */
  static INDArray[] batch(int n, DataType dt, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * 784];
    for (int i = 0; i < x.length; i++) x[i] = r.nextInt(4) == 0 ? 0f : (float) r.nextDouble();
    float[] y = new float[n * 10];
    for (int i = 0; i < n; i++) y[i * 10 + r.nextInt(10)] = 1f;
    return new INDArray[] { Nd4j.create(x, new long[] { n, 784 }, 'c').castTo(dt), Nd4j.create(y, new long[] { n, 10 }, 'c').castTo(dt) };
  }

  /** moves the parameters off the initialisation, so relu units die and softmax outputs saturate unevenly */
  static void perturb(Network net, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] p = net.params().toDoubleVector();
    for (int i = 0; i < p.length; i++) p[i] += 0.3 * (r.nextDouble() - 0.5);
    net.params().assign(Nd4j.createFromArray(p).reshape(net.params().shape()).castTo(net.dataType()));
  }

  /** the entries of a matrix, row by row */
  static double[] values(INDArray a) {
    return a.dup('c').reshape(a.length()).toDoubleVector();
  }

  /**
   * DOUBLE: DL4J's numbers to the last bit (both multiply by BLAS). FLOAT: DL4J's products are oneDNN's matmul and the
   * stack's BLAS's, whose sums round differently: equal to 2e-6 of the largest entry (a wrong term would be far off).
   */
  static void sameNumbers(double[] dl4j, double[] fast, DataType dt, String what) {
    if (dt == DataType.DOUBLE) {
      assertArrayEquals(dl4j, fast, 0.0, what);
      return;
    }
    close(dl4j, fast, 2e-6, what);
  }

  /**
   * A training batch's gradient and loss: in FLOAT as {@link #sameNumbers}; in DOUBLE to 1e-13 of the largest entry,
   * a few units in the last place (the stack's Java pass takes Java's exp and log for ND4J's, sums the bias columns in
   * its own order and folds 1/N into the products), unless the pass is off ({@code trajlab.denseJavaPass} false:
   * DL4J's operations, to the last bit)
   */
  static void sameGradient(double[] dl4j, double[] fast, DataType dt, String what) {
    if (dt == DataType.DOUBLE && !"false".equals(System.getProperty("trajlab.denseJavaPass"))) {
      close(dl4j, fast, 1e-13, what);
    } else {
      sameNumbers(dl4j, fast, dt, what);
    }
  }

  private static void close(double[] dl4j, double[] fast, double relative, String what) {
    double scale = 0;
    for (double v : dl4j) scale = Math.max(scale, Math.abs(v));
    assertArrayEquals(dl4j, fast, relative * Math.max(scale, 1e-3), what);
  }

  @Test
  public void gradientLossAndOutputAreDl4js() throws Exception {
    for (String json : MODELS) {
      ModelSpec m = ModelZooTest.model(json);
      for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
        Network net = dl4jNetwork(m, dt);
        DenseStack fast = DenseStack.of(net);
        assertNotNull(fast, json + " is a plain dense stack");
        for (int round = 0; round < 2; round++) {
          if (round == 1) perturb(net, 11);
          for (int n : new int[] { 1, 37, 128, 700 }) {
            INDArray[] xy = batch(n, dt, n * 31L + round);
            String what = json + " " + dt + " batch " + n + (round == 1 ? " perturbed" : " at init");
            INDArray gDl4j = Nd4j.create(dt, net.params().shape());
            INDArray gFast = Nd4j.create(dt, net.params().shape());
            double lossDl4j = net.meanGradient(xy[0], xy[1], gDl4j);
            double lossFast = fast.meanGradient(xy[0], xy[1], gFast);
            sameGradient(new double[] { lossDl4j }, new double[] { lossFast }, dt, what + ": loss");
            sameGradient(gDl4j.toDoubleVector(), gFast.toDoubleVector(), dt, what + ": gradient");
            sameNumbers(values(net.output(xy[0], false)), values(fast.output(xy[0])), dt, what + ": output");
            // into a buffer the Java pass does not take (f order): DL4J's operations in turn, DL4J's bits in DOUBLE
            INDArray gOps = Nd4j.create(dt, net.params().shape(), 'f');
            sameNumbers(new double[] { lossDl4j }, new double[] { fast.meanGradient(xy[0], xy[1], gOps) }, dt, what + ": loss, DL4J's operations");
            sameNumbers(gDl4j.toDoubleVector(), gOps.toDoubleVector(), dt, what + ": gradient, DL4J's operations");
          }
        }
      }
    }
  }

  @Test
  public void groupMeanGradientsAreEachGroupsMeanGradient() throws Exception {
    for (String json : new String[] { MODELS[1], MODELS[3] }) {
      for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
        Network net = ModelZoo.build(ModelZooTest.model(json), dt, 5, FLAT, 10);
        perturb(net, 3);
        DenseStack fast = DenseStack.of(net);
        // 351 rows: the first hidden layer's errors (351 × 300 for the MLP) pass relu's backprop in blocks
        int[] sizes = { 3, 7, 1, 12, 128, 200 };
        INDArray[] xy = batch(351, dt, 9);
        INDArray rows = Nd4j.create(dt, new long[] { sizes.length, net.params().length() }, 'c');
        fast.groupMeanGradients(xy[0], xy[1], sizes, rows);
        // rows that are a view (the first rows of a larger array): the bias sums by ND4J, the same numbers
        INDArray larger = Nd4j.create(dt, new long[] { sizes.length + 2, net.params().length() }, 'c');
        INDArray view = larger.get(NDArrayIndex.interval(0, sizes.length), NDArrayIndex.all());
        fast.groupMeanGradients(xy[0], xy[1], sizes, view);
        assertArrayEquals(rows.data().asDouble(), view.dup('c').data().asDouble(), (dt == DataType.DOUBLE ? 1e-14 : 1e-6)
            * Math.max(1, rows.amaxNumber().doubleValue()), json + " " + dt + ": rows of a larger array");
        int from = 0;
        for (int k = 0; k < sizes.length; k++) {
          int to = from + sizes[k];
          INDArray g = Nd4j.create(dt, net.params().shape());
          fast.meanGradient(xy[0].get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c'),
              xy[1].get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c'), g);
          double[] expected = g.toDoubleVector();
          double scale = 0;
          for (double v : expected) scale = Math.max(scale, Math.abs(v));
          assertArrayEquals(expected, rows.getRow(k).toDoubleVector(), (dt == DataType.DOUBLE ? 1e-13 : 2e-6) * scale,
              json + " " + dt + " group " + k + " of " + sizes[k]);
          from = to;
        }
      }
    }
  }

  @Test
  public void theWalksBlendIsTheNd4jArithmeticToTheLastBit() {
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      INDArray z0 = Nd4j.rand(dt, 700, 30).subi(0.5);
      INDArray z1 = Nd4j.rand(dt, 700, 30).subi(0.4).muli(3);
      for (double alpha : new double[] { 0, 1.0 / 11, 0.5, 10.0 / 11, 1 }) {
        INDArray z = Nd4j.create(dt, 700, 30);
        DenseStack.blend(z0, z1, alpha, z);
        INDArray nd4j = z0.mul(1 - alpha).addi(z1.mul(alpha));
        assertArrayEquals(values(nd4j), values(z), 0.0, dt + " alpha " + alpha);
        // with the relu in the same pass: DL4J's relu of the blend (up to the sign of zeros: a delta of 0 takes −0 as +0)
        INDArray a = Nd4j.create(dt, 700, 30);
        DenseStack.blend(z0, z1, alpha, a, true);
        INDArray relu = new org.nd4j.linalg.activations.impl.ActivationReLU().getActivation(nd4j.dup(), true);
        assertArrayEquals(values(relu), values(a), 0.0, dt + " relu, alpha " + alpha);
        assertTrue(values(relu)[0] >= 0 && java.util.Arrays.stream(values(nd4j)).anyMatch(v -> v < 0), "some entries are cut");
      }
    }
  }

  @Test
  public void zooNetworksTakeTheFastPathWithTheSameNumbers() throws Exception {
    ModelSpec m = ModelZooTest.model(MODELS[1]);
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      Network plain = dl4jNetwork(m, dt);
      Network fast = ModelZoo.build(m, dt, 3, FLAT, 10);
      assertArrayEquals(plain.params().toDoubleVector(), fast.params().toDoubleVector(), 0.0);
      INDArray[] xy = batch(100, dt, 5);
      INDArray g1 = Nd4j.create(dt, plain.params().shape());
      INDArray g2 = Nd4j.create(dt, plain.params().shape());
      sameGradient(new double[] { plain.meanGradient(xy[0], xy[1], g1, true) },
          new double[] { fast.meanGradient(xy[0], xy[1], g2, true) }, dt, "loss");
      sameGradient(g1.toDoubleVector(), g2.toDoubleVector(), dt, "gradient");
      int[] labels = new int[100];
      double[] y = values(xy[1]);
      for (int i = 0; i < 100; i++) {
        for (int k = 0; k < 10; k++) if (y[i * 10 + k] == 1) labels[i] = k;
      }
      double[] lhPlain = plain.lossAndHits(xy[0], labels);
      double[] lhFast = fast.lossAndHits(xy[0], labels);
      sameNumbers(new double[] { lhPlain[0] }, new double[] { lhFast[0] }, dt, "loss sum");
      assertEquals(lhPlain[1], lhFast[1], 0.0, "hits");
      // a copy has its own fast path on its own parameters
      Network copy = fast.copy();
      perturb(copy, 2);
      INDArray g3 = Nd4j.create(dt, plain.params().shape());
      fast.meanGradient(xy[0], xy[1], g3);
      assertArrayEquals(g2.toDoubleVector(), g3.toDoubleVector(), 0.0, "the copy's parameters are its own");
    }
  }

  @Test
  public void modelsWithBatchNormOrConvolutionsAreLeftToDl4j() throws Exception {
    assertNull(DenseStack.of(ModelZoo.build(ModelZooTest.model("{\"type\":\"mlp\",\"hidden\":[20],\"batchNorm\":true}"),
        DataType.FLOAT, 0, FLAT, 10)));
    assertNull(DenseStack.of(ModelZoo.build(ModelZooTest.model("{\"type\":\"simplecnn\"}"), DataType.FLOAT, 0,
        InputShape.image(3, 32, 32), 10)));
  }
}
