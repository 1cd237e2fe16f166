package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.trajlab.api.objective.DataView;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.CentralDifferences;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.ProbeBatchNorm;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.models.ConvHessian;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.Network;

/**
 * The exact Hessian-vector product through convolution, max pooling and train-mode batch norm ({@link ConvHessian})
 * against (a) the dense Hessian of a tiny network built column by column from central differences of DL4J's
 * gradient, (b) the checked central differences the objective used before, on SimpleCNN with and without batch
 * norm, at points where no kink is crossed, and (c) its own symmetry; and the gradient its backward pass forms
 * against DL4J's.
 */
public class ConvHessianTest {

  @BeforeAll
  static void natives() {
    Nd4jSetup.init();
  }

  /** conv 2→3 (3x3, padding 1, ReLU) [- batch norm - ReLU], 2x2 max pooling, dense 27→4 tanh, softmax over 3 */
  static MultiLayerNetwork tiny(boolean batchNorm, long seed) {
    var b = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new NoOp()).list();
    var conv = new ConvolutionLayer.Builder(3, 3).stride(1, 1).padding(1, 1).convolutionMode(ConvolutionMode.Truncate)
        .nOut(3);
    if (batchNorm) {
      b.layer(conv.hasBias(false).activation(Activation.IDENTITY).build())
          .layer(new BatchNormalization.Builder().eps(1e-5).useLogStd(false).build())
          .layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
    } else {
      b.layer(conv.activation(Activation.RELU).build());
    }
    b.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
        .convolutionMode(ConvolutionMode.Truncate).build());
    b.layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build());
    if (batchNorm) b.layer(new BatchNormalization.Builder().eps(1e-5).useLogStd(false).build());
    b.layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build());
    MultiLayerNetwork m = new MultiLayerNetwork(b.setInputType(InputType.convolutional(6, 6, 2)).build());
    m.init();
    // biases away from 0, so no unit starts at its hinge
    Random r = new Random(seed);
    for (var e : m.paramTable().entrySet()) {
      if (e.getKey().endsWith("_b") || e.getKey().endsWith("_beta")) {
        INDArray v = e.getValue();
        for (long i = 0; i < v.length(); i++) v.putScalar(i, 0.1 * r.nextGaussian());
      }
    }
    return m;
  }

  static INDArray images(int n, long seed) {
    Random r = new Random(seed);
    double[] x = new double[n * 2 * 6 * 6];
    for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
    return Nd4j.create(x, new long[] { n, 2, 6, 6 }, 'c');
  }

  static INDArray oneHot(int n, int k) {
    INDArray y = Nd4j.zeros(DataType.DOUBLE, n, k);
    for (int i = 0; i < n; i++) y.putScalar(i, (i * 7 + 1) % k, 1.0);
    return y;
  }

  /** DL4J's gradient of the mean loss (its summed gradient divided by N), statistics' entries zeroed */
  static double[] dl4jGradient(MultiLayerNetwork m, INDArray x, INDArray y, boolean[] statistic) {
    m.setInput(x);
    m.setLabels(y);
    m.computeGradientAndScore();
    double[] g = m.gradient().gradient().dup().reshape(-1).toDoubleVector();
    for (int i = 0; i < g.length; i++) g[i] = statistic[i] ? 0 : g[i] / x.size(0);
    return g;
  }

  /** the entries of the flat parameters that are batch-norm running statistics */
  static boolean[] statistics(MultiLayerNetwork m) {
    boolean[] s = new boolean[(int) m.numParams()];
    long base = m.params().offset();
    for (var e : m.paramTable().entrySet()) {
      if (e.getKey().endsWith("_mean") || e.getKey().endsWith("_var")) {
        long from = e.getValue().offset() - base;
        for (long i = 0; i < e.getValue().length(); i++) s[(int) (from + i)] = true;
      }
    }
    return s;
  }

  static double[] exact(ConvHessian h, INDArray x, INDArray y, double[] v, double[] gradOut) {
    INDArray vv = Nd4j.createFromArray(v);
    INDArray hv = Nd4j.zeros(DataType.DOUBLE, v.length);
    INDArray g = Nd4j.zeros(DataType.DOUBLE, v.length);
    h.addProduct(x, y, vv, hv, gradOut == null ? null : g, (int) x.size(0));
    if (gradOut != null) System.arraycopy(g.toDoubleVector(), 0, gradOut, 0, gradOut.length);
    return hv.toDoubleVector();
  }

  static double[] randomDirection(int p, boolean[] statistic, long seed) {
    Random r = new Random(seed);
    double[] v = new double[p];
    for (int i = 0; i < p; i++) v[i] = statistic[i] ? 0 : r.nextGaussian();
    return v;
  }

  static double relativeError(double[] want, double[] got) {
    double d = 0;
    double n = 0;
    for (int i = 0; i < want.length; i++) {
      d += (want[i] - got[i]) * (want[i] - got[i]);
      n += want[i] * want[i];
    }
    return Math.sqrt(d / n);
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  /**
   * (a) and (c) on the tiny network: H from central differences of DL4J's gradient, one column per parameter
   * (step 1e-5), times random directions, equals the exact products to 1e-6; vᵀHw = wᵀHv; the gradient of the
   * R-pass is DL4J's to 1e-10. 70 examples without batch norm (five slices of the product), 12 with it.
   */
  void tinyNetworkMatchesTheDenseHessian(boolean batchNorm, int n) {
    MultiLayerNetwork m = tiny(batchNorm, 11);
    INDArray x = images(n, 5);
    INDArray y = oneHot(n, 3);
    ConvHessian h = ConvHessian.of(m, in -> in);
    assertNotNull(h, "the tiny network's layers are supported");
    boolean[] statistic = statistics(m);
    int p = statistic.length;
    double[] theta = m.params().dup().reshape(-1).toDoubleVector();
    double[] g = new double[p];
    exact(h, x, y, new double[p], g);
    double[] g0 = dl4jGradient(m, x, y, statistic);
    assertTrue(relativeError(g0, g) < 1e-10, "the R-pass's gradient is DL4J's: relative error " + relativeError(g0, g));
    double step = 1e-5;
    double[][] dense = new double[p][];
    for (int j = 0; j < p; j++) {
      if (statistic[j]) continue;
      m.params().putScalar(j, theta[j] + step);
      double[] plus = dl4jGradient(m, x, y, statistic);
      m.params().putScalar(j, theta[j] - step);
      double[] minus = dl4jGradient(m, x, y, statistic);
      m.params().putScalar(j, theta[j]);
      dense[j] = new double[p];
      for (int i = 0; i < p; i++) dense[j][i] = (plus[i] - minus[i]) / (2 * step);
    }
    m.setParams(Nd4j.createFromArray(theta).reshape(1, p));
    double[][] hv = new double[3][];
    double[][] vs = new double[3][];
    for (int t = 0; t < 3; t++) {
      vs[t] = randomDirection(p, statistic, 100 + t);
      hv[t] = exact(h, x, y, vs[t], null);
      double[] want = new double[p];
      for (int j = 0; j < p; j++) {
        if (dense[j] == null) continue;
        for (int i = 0; i < p; i++) want[i] += dense[j][i] * vs[t][j];
      }
      double err = relativeError(want, hv[t]);
      assertTrue(err < 1e-6, "direction " + t + ": relative error " + err + " against the dense Hessian");
      for (int i = 0; i < p; i++) {
        if (statistic[i]) assertEquals(0.0, hv[t][i], "a statistic's entry of Hv");
      }
    }
    double vhw = dot(vs[0], hv[1]);
    double whv = dot(vs[1], hv[0]);
    assertEquals(vhw, whv, 1e-12 * (Math.abs(vhw) + Math.abs(whv)) + 1e-14, "symmetry vᵀHw = wᵀHv");
    assertTrue(Math.abs(vhw) > 1e-6, "a nonzero product: " + vhw);
  }

  @Test
  public void tinyConvNetworkMatchesTheDenseHessianOfCentralDifferences() {
    tinyNetworkMatchesTheDenseHessian(false, 70);
  }

  @Test
  public void tinyBatchNormConvNetworkMatchesTheDenseHessianOfCentralDifferences() {
    tinyNetworkMatchesTheDenseHessian(true, 12);
  }

  /**
   * (b) SimpleCNN on 3x12x12 images: the objective's exact product equals the checked central differences of its
   * gradient along random directions that cross no kink (no retry), to 1e-5; the gradient of the R-pass equals
   * DL4J's to 1e-10; symmetry. With batch norm the view is two train-mode batches of 8.
   */
  void simpleCnnMatchesCentralDifferences(boolean batchNorm) throws Exception {
    InputShape shape = InputShape.image(3, 12, 12);
    String json = batchNorm ? "{\"type\":\"simplecnn\",\"batchNorm\":true,\"init\":\"relu\"}" : "{\"type\":\"simplecnn\",\"init\":\"relu\"}";
    Network net = ModelBatches.build(ModelZooTest.model(json), DataType.DOUBLE, 3, shape, 4);
    int n = 16;
    INDArray features = ModelBatches.features(shape, n, 4, DataType.FLOAT, 2);
    float[] px = features.data().asFloat();
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) labels[i] = i % 4;
    ImageSet data = new ImageSet(px, labels, 3, 12, 12, 4);
    int[] all = new int[n];
    for (int i = 0; i < n; i++) all[i] = i;
    // checked against the gradient below: one chunk, or the two batches of 8
    ConvHessian h = ConvHessian.of(net);
    assertNotNull(h, "SimpleCNN has an exact product");
    Dl4jObjective o = new Dl4jObjective(net.copy(), null, data, data, all, ProbeBatchNorm.train(8, 1));
    DataView view = o.view("train-eval");
    assertTrue(o.hessianMethod().startsWith("exact (R-operator through convolution"), o.hessianMethod());
    double[] theta = net.params().toDoubleVector();
    boolean[] trainable = o.trainable();
    // the R-pass's gradient against DL4J's, over one batch
    INDArray x = ModelBatches.features(shape, 8, 4, DataType.DOUBLE, 2);
    INDArray y = ModelBatches.labels(8, 4, DataType.DOUBLE);
    double[] g = new double[theta.length];
    exact(h, x, y, new double[theta.length], g);
    INDArray dl4j = Nd4j.create(DataType.DOUBLE, 1, theta.length);
    net.meanGradient(x, y, dl4j);
    double err = relativeError(dl4j.toDoubleVector(), g);
    assertTrue(err < 1e-10, "the R-pass's gradient is DL4J's: relative error " + err);
    double[] g0 = new double[theta.length];
    o.gradient(view, theta, g0);
    double[][] vs = new double[2][];
    double[][] hv = new double[2][];
    for (int t = 0; t < 2; t++) {
      boolean[] statistic = new boolean[theta.length];
      for (int i = 0; i < statistic.length; i++) statistic[i] = !trainable[i];
      vs[t] = randomDirection(theta.length, statistic, 40 + t);
      hv[t] = new double[theta.length];
      o.hessianVector(view, theta, vs[t], hv[t]);
      CentralDifferences fd = new CentralDifferences();
      double[] diff = new double[theta.length];
      fd.product((th, out) -> o.gradient(view, th, out), theta, g0, vs[t], diff);
      assertEquals(0, fd.retries(), "the difference crossed no kink (else it is no reference)");
      double e = relativeError(diff, hv[t]);
      assertTrue(e < 1e-5, "direction " + t + ": relative error " + e + " against central differences");
    }
    double vhw = dot(vs[0], hv[1]);
    double whv = dot(vs[1], hv[0]);
    assertEquals(vhw, whv, 1e-10 * (Math.abs(vhw) + Math.abs(whv)), "symmetry vᵀHw = wᵀHv");
  }

  @Test
  public void simpleCnnMatchesCentralDifferences() throws Exception {
    simpleCnnMatchesCentralDifferences(false);
  }

  @Test
  public void simpleCnnWithBatchNormMatchesCentralDifferences() throws Exception {
    simpleCnnMatchesCentralDifferences(true);
  }

  /** the exact product is for DOUBLE convolutional stacks; FLOAT and dense models keep their own paths */
  @Test
  public void onlyDoubleConvolutionalStacksHaveIt() {
    InputShape shape = InputShape.image(3, 12, 12);
    assertNull(ConvHessian.of(ModelBatches.build(ModelZooTest.model("{\"type\":\"simplecnn\"}"), DataType.FLOAT, 0, shape, 4)));
    assertNull(ConvHessian.of(ModelBatches.build(ModelZooTest.model("{\"type\":\"mlp\",\"hidden\":[8]}"), DataType.DOUBLE, 0,
        InputShape.flat(3, 12, 12), 4)));
    assertNull(ConvHessian.of(ModelBatches.build(ModelZooTest.model("{\"type\":\"resnet\",\"depth\":8}"), DataType.DOUBLE, 0,
        InputShape.image(3, 16, 16), 4)));
  }
}
