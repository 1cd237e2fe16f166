package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;

/**
 * The training gradient of convolutional stacks on oneDNN's primitives (OneDnnConvStack) against DL4J's own passes on
 * the same network: SimpleCNN on 32x32x3 images and a smaller stack on 28x28x1 (one convolution per pooling, two dense
 * layers), at initialisation and away from it, for a training batch and an odd-sized one, over several SGD steps
 * (the primitives made once per batch size see the parameters of every step). Float sums in other orders: equal to
 * 1e-4 of the largest entry (a wrong term, a missing relu or a transposed weight is off by far more), the loss to
 * 1e-5 relative. With batch normalisation (SimpleCNN's and VGG-11's) the reference is DL4J in DOUBLE, and the running
 * statistics after every step are compared too: DL4J's own FLOAT batch norm is itself off the exact gradient by
 * 2.5e-3 to 6e-3 (relative to the largest entry) in SimpleCNN's first two layers at batch 16, where each channel's
 * backward sums 16,384 entries in float, against 5e-6 for oneDNN's (BnScratch, 2026-12-03).
 */
public class OneDnnConvStackTest {
  static final String SIMPLE_CNN = "{\"type\":\"simplecnn\",\"init\":\"relu\"}";
  static final String SIMPLE_CNN_BN = "{\"type\":\"simplecnn\",\"batchNorm\":true,\"init\":\"relu\"}";
  static final InputShape RGB = InputShape.image(3, 32, 32);

  @BeforeAll
  static void nd4j() {
    Nd4jSetup.init();
  }

  /** the model built with the oneDNN path on or off (the switch is read when a network is built) */
  static Network build(ModelSpec m, InputShape shape, boolean onednn) throws Exception {
    String before = System.getProperty("trajlab.onednnConv");
    System.setProperty("trajlab.onednnConv", String.valueOf(onednn));
    try {
      return ModelZoo.build(m, DataType.FLOAT, 5, shape, 10);
    } finally {
      if (before == null) System.clearProperty("trajlab.onednnConv");
      else System.setProperty("trajlab.onednnConv", before);
    }
  }

  static void sameGradient(INDArray dl4j, INDArray fast, String what) {
    double[] a = dl4j.toDoubleVector();
    double[] b = fast.toDoubleVector();
    double scale = 0;
    for (double v : a) scale = Math.max(scale, Math.abs(v));
    assertTrue(scale > 1e-6, what + ": a gradient that is not zero");
    assertArrayEquals(a, b, 1e-4 * scale, what);
  }

  /** equal to {@code relative} of the largest entry */
  static void sameValues(INDArray expected, INDArray actual, double relative, String what) {
    double[] a = expected.toDoubleVector();
    double scale = 0;
    for (double v : a) scale = Math.max(scale, Math.abs(v));
    assertArrayEquals(a, actual.toDoubleVector(), relative * scale, what);
  }

  /**
   * SGD steps on both networks from the same parameters: the same gradients and losses at every step; DL4J's network
   * in DOUBLE when {@code inDouble} (then the same parameters after each step in float)
   */
  static void sameSteps(String json, InputShape shape, int[] batches, boolean perturb) throws Exception {
    ModelSpec m = ModelZooTest.model(json);
    boolean inDouble = Boolean.TRUE.equals(m.batchNorm);
    Network dl4j = inDouble ? ModelZoo.build(m, DataType.DOUBLE, 5, shape, 10) : build(m, shape, false);
    Network fast = build(m, shape, true);
    if (perturb) DenseStackTest.perturb(dl4j, 11);
    fast.params().assign(dl4j.params().castTo(DataType.FLOAT));
    if (inDouble) dl4j.params().assign(fast.params().castTo(DataType.DOUBLE));
    DataType dt = dl4j.params().dataType();
    for (int step = 0; step < batches.length; step++) {
      int n = batches[step];
      INDArray x = ModelBatches.features(shape, n, 10, DataType.FLOAT, 100 + step);
      INDArray y = ModelBatches.labels(n, 10, DataType.FLOAT);
      INDArray g0 = Nd4j.create(dt, 1, dl4j.numParams());
      INDArray g1 = Nd4j.create(DataType.FLOAT, 1, fast.numParams());
      double l0 = dl4j.meanGradient(x.castTo(dt), y.castTo(dt), g0, true);
      double l1 = fast.meanGradient(x, y, g1, true);
      String what = json + " " + shape + " step " + step + " batch " + n + (perturb ? " perturbed" : "");
      assertEquals(l0, l1, 1e-5 * Math.abs(l0), what + ": loss");
      sameGradient(g0, g1, what);
      // batch normalisation's running statistics moved alike (the other parameters are untouched by a gradient)
      sameValues(dl4j.params(), fast.params(), 1e-5, what + ": parameters after the gradient");
      dl4j.params().subi(g0.reshape(dl4j.params().shape()).mul(0.05));
      fast.params().assign(dl4j.params().castTo(DataType.FLOAT)); // the same parameters for the next step
      if (inDouble) dl4j.params().assign(fast.params().castTo(DataType.DOUBLE));
    }
  }

  @Test
  public void simpleCnnGradientIsDl4js() throws Exception {
    sameSteps(SIMPLE_CNN, RGB, new int[] { 16, 16, 7, 16 }, false);
    sameSteps(SIMPLE_CNN, RGB, new int[] { 12, 5 }, true);
  }

  @Test
  public void otherStacksGradientIsDl4js() throws Exception {
    // VGG-11's layers on 32x32: eight convolutions, five poolings (down to 1x1), the output layer straight after
    sameSteps("{\"type\":\"vgg11\",\"init\":\"relu\"}", RGB, new int[] { 4, 3 }, true);
    sameSteps(SIMPLE_CNN, InputShape.image(1, 28, 28), new int[] { 10, 10 }, true);
  }

  @Test
  public void outputsLossesAndHitsAreDl4js() throws Exception {
    for (String json : new String[] { SIMPLE_CNN, "{\"type\":\"vgg11\",\"init\":\"relu\"}" }) {
      ModelSpec m = ModelZooTest.model(json);
      Network dl4j = build(m, RGB, false);
      Network fast = build(m, RGB, true);
      if (json.equals(SIMPLE_CNN)) DenseStackTest.perturb(dl4j, 7); // (VGG-11's outputs saturate: log 0)
      fast.params().assign(dl4j.params());
      for (int n : new int[] { 20, 9, 20 }) { // the second 20 reuses the first's inference plan
        INDArray x = ModelBatches.features(RGB, n, 10, DataType.FLOAT, 60 + n);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = (3 * i) % 10;
        INDArray p0 = dl4j.output(x, false);
        INDArray p1 = fast.output(x, false);
        assertArrayEquals(new long[] { n, 10 }, p1.shape());
        assertArrayEquals(DenseStackTest.values(p0), DenseStackTest.values(p1), 2e-5, json + " batch " + n + ": probabilities");
        assertArrayEquals(DenseStackTest.values(dl4j.output(x, true)), DenseStackTest.values(fast.output(x, true)), 2e-5);
        double[] lh0 = dl4j.lossAndHits(x, labels);
        double[] lh1 = fast.lossAndHits(x, labels);
        assertEquals(lh0[0], lh1[0], 1e-5 * Math.abs(lh0[0]), json + ": summed loss");
        assertEquals(lh0[1], lh1[1], 1.0, json + ": hits (a near tie may go either way)");
        assertTrue(Double.isFinite(lh1[0]) && lh1[0] > 0, json);
      }
      // an SGD step in between: the inference plan reads the new parameters
      INDArray x = ModelBatches.features(RGB, 8, 10, DataType.FLOAT, 5);
      INDArray g = Nd4j.create(DataType.FLOAT, 1, fast.numParams());
      fast.meanGradient(x, ModelBatches.labels(8, 10, DataType.FLOAT), g, true);
      fast.params().subi(g.reshape(fast.params().shape()).mul(0.1));
      dl4j.params().assign(fast.params());
      assertArrayEquals(DenseStackTest.values(dl4j.output(x, false)), DenseStackTest.values(fast.output(x, false)), 2e-5, json);
    }
  }

  @Test
  public void plansFreedForOtherNetworksAreMadeAgain() throws Exception {
    // five networks with two batch sizes each: ten plans against the JVM's four, so the first network's are freed
    // before it is used again, and made again with the parameters it has then
    ModelSpec m = ModelZooTest.model(SIMPLE_CNN);
    InputShape grey = InputShape.image(1, 28, 28);
    Network reference = build(m, grey, false);
    Network[] nets = new Network[5];
    for (int k = 0; k < nets.length; k++) {
      nets[k] = build(m, grey, true);
      nets[k].params().assign(reference.params());
    }
    for (int round = 0; round < 2; round++) {
      for (Network net : nets) {
        for (int n : new int[] { 6, 3 }) {
          INDArray x = ModelBatches.features(grey, n, 10, DataType.FLOAT, 40 + n + round);
          INDArray y = ModelBatches.labels(n, 10, DataType.FLOAT);
          INDArray g0 = Nd4j.create(DataType.FLOAT, 1, reference.numParams());
          INDArray g1 = Nd4j.create(DataType.FLOAT, 1, net.numParams());
          assertEquals(reference.meanGradient(x, y, g0, true), net.meanGradient(x, y, g1, true), 1e-5);
          sameGradient(g0, g1, "round " + round + " batch " + n);
        }
      }
    }
  }

  @Test
  public void batchNormGradientAndRunningStatisticsAreDl4js() throws Exception {
    // SimpleCNN with batch normalisation after each convolution and after its dense layer; VGG-11's eight
    sameSteps(SIMPLE_CNN_BN, RGB, new int[] { 16, 16, 7, 16 }, false);
    sameSteps(SIMPLE_CNN_BN, RGB, new int[] { 12, 5 }, true);
    sameSteps("{\"type\":\"vgg11\",\"batchNorm\":true,\"init\":\"relu\"}", RGB, new int[] { 4, 3 }, true);
    // without updating the running statistics: the gradient alike and every parameter left as it was
    ModelSpec m = ModelZooTest.model(SIMPLE_CNN_BN);
    Network fast = build(m, RGB, true);
    INDArray before = fast.params().dup();
    INDArray g = Nd4j.create(DataType.FLOAT, 1, fast.numParams());
    fast.meanGradient(ModelBatches.features(RGB, 6, 10, DataType.FLOAT, 8), ModelBatches.labels(6, 10, DataType.FLOAT), g,
        false);
    assertArrayEquals(before.toDoubleVector(), fast.params().toDoubleVector(), 0.0);
  }

  @Test
  public void batchNormOutputsInBothModesAreDl4js() throws Exception {
    ModelSpec m = ModelZooTest.model(SIMPLE_CNN_BN);
    Network dl4j = build(m, RGB, false);
    Network fast = build(m, RGB, true);
    DenseStackTest.perturb(dl4j, 3);
    fast.params().assign(dl4j.params());
    // three steps move the running statistics away from their start (mean 0, variance 1), so the modes differ
    for (int step = 0; step < 3; step++) {
      INDArray x = ModelBatches.features(RGB, 16, 10, DataType.FLOAT, 70 + step);
      INDArray g = Nd4j.create(DataType.FLOAT, 1, dl4j.numParams());
      dl4j.meanGradient(x, ModelBatches.labels(16, 10, DataType.FLOAT), g, true);
      dl4j.params().subi(g.reshape(dl4j.params().shape()).mul(0.05));
    }
    fast.params().assign(dl4j.params());
    for (int n : new int[] { 20, 9, 20 }) {
      INDArray x = ModelBatches.features(RGB, n, 10, DataType.FLOAT, 90 + n);
      INDArray train0 = dl4j.output(x, true);
      INDArray infer0 = dl4j.output(x, false);
      assertTrue(train0.sub(infer0).norm2Number().doubleValue() > 1e-3, "the two modes differ here");
      assertArrayEquals(DenseStackTest.values(train0), DenseStackTest.values(fast.output(x, true)), 2e-5, "train mode, batch " + n);
      assertArrayEquals(DenseStackTest.values(infer0), DenseStackTest.values(fast.output(x, false)), 2e-5, "inference mode, batch " + n);
    }
  }

  @Test
  public void theOneDnnPathIsTaken() throws Exception {
    // the oneDNN path differs from DL4J's in the float rounding of its sums: the gradients are not bit-equal
    INDArray x = ModelBatches.features(RGB, 8, 10, DataType.FLOAT, 3);
    INDArray y = ModelBatches.labels(8, 10, DataType.FLOAT);
    for (String json : new String[] { SIMPLE_CNN, SIMPLE_CNN_BN }) {
      ModelSpec m = ModelZooTest.model(json);
      Network c = build(m, RGB, false);
      Network d = build(m, RGB, true);
      d.params().assign(c.params());
      INDArray g2 = Nd4j.create(DataType.FLOAT, 1, c.numParams());
      INDArray g3 = Nd4j.create(DataType.FLOAT, 1, d.numParams());
      c.meanGradient(x, y, g2, true);
      d.meanGradient(x, y, g3, true);
      assertNotEquals(0.0, g2.sub(g3).norm2Number().doubleValue(), "the oneDNN path is taken for " + json);
    }
  }
}
