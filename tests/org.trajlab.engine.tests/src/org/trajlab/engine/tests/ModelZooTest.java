package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;

/**
 * The model zoo through the {@link Network} abstraction only, as the trainer uses it: every model in both
 * precisions trains on tiny data of its shape; gradients are means; initialisation is seeded; batch normalisation
 * and the depth-scaled ResNet initialisation do what their documentation says; bad model specs are one sentence.
 */
public class ModelZooTest {
  static final InputShape GREY = InputShape.image(1, 28, 28);
  static final InputShape RGB = InputShape.image(3, 32, 32);
  static final InputShape TINY_RGB = InputShape.image(3, 8, 8);

  @BeforeAll
  static void nd4j() {
    Nd4jSetup.init();
  }

  /** a model spec through the spec parser, so presets and defaults are resolved as in a run */
  /** a model spec as a run resolves it (the fields its type implies filled in) */
  public static ModelSpec model(String json) {
    try {
      ModelSpec m = Specs.parse("{\"model\":" + json + "}").model;
      org.trajlab.engine.models.ModelTypes.resolve(m);
      return m;
    } catch (SpecException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** one row of the training matrix */
  record Case(String name, String model, InputShape shape, int classes, int batch, double lr, int steps) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Case> CASES = List.of(
      new Case("softmax", "{\"type\":\"softmax\"}", GREY, 3, 16, 0.5, 5),
      new Case("mlp fmnist-300-100", "{\"preset\":\"fmnist-300-100\"}", GREY, 3, 16, 0.1, 5),
      new Case("mlp bn4", "{\"preset\":\"bn4\"}", GREY, 3, 16, 0.1, 5),
      new Case("mlp deep20", "{\"preset\":\"deep20\",\"init\":\"relu\"}", GREY, 3, 16, 0.02, 5),
      new Case("mlp mnist256", "{\"preset\":\"mnist256\"}", GREY, 3, 16, 0.1, 5),
      new Case("mlp tanh BN", "{\"hidden\":[24,12],\"activation\":\"tanh\",\"batchNorm\":true}", GREY, 3, 16, 0.1, 5),
      new Case("simplecnn", "{\"type\":\"simplecnn\",\"init\":\"relu\"}", GREY, 3, 16, 0.05, 5),
      new Case("simplecnn BN", "{\"type\":\"simplecnn\",\"batchNorm\":true,\"init\":\"relu\"}", RGB, 3, 8, 0.05, 5),
      new Case("vgg11", "{\"type\":\"vgg11\",\"init\":\"relu\"}", RGB, 10, 4, 0.01, 4),
      new Case("vgg11 BN 100 classes", "{\"type\":\"vgg11\",\"batchNorm\":true,\"classes\":100,\"init\":\"relu\"}", RGB, 100, 4, 0.05, 4),
      new Case("resnet-32 BN", "{\"type\":\"resnet\",\"depth\":32,\"init\":\"relu\"}", TINY_RGB, 3, 16, 0.05, 5),
      new Case("resnet-32 no BN", "{\"type\":\"resnet\",\"depth\":32,\"batchNorm\":false,\"init\":\"relu\"}", TINY_RGB, 3, 16, 0.05, 5));

  static Stream<Arguments> matrix() {
    List<Arguments> a = new ArrayList<>();
    for (Case c : CASES) {
      for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) a.add(Arguments.of(c, dt));
    }
    return a.stream();
  }

  /** a few plain SGD steps on one tiny batch: the loss is finite and falls, the output is a distribution */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("matrix")
  public void everyModelTrainsInBothPrecisions(Case c, DataType dt) {
    long t0 = System.nanoTime();
    Network net = ModelBatches.build(model(c.model()), dt, 1, c.shape(), c.classes());
    INDArray x = ModelBatches.features(c.shape(), c.batch(), c.classes(), dt, 2);
    INDArray y = ModelBatches.labels(c.batch(), c.classes(), dt);
    assertEquals(dt, net.dataType());
    INDArray g = Nd4j.create(dt, net.params().shape());
    double[] loss = new double[c.steps() + 1];
    for (int s = 0; s <= c.steps(); s++) {
      loss[s] = net.meanGradient(x, y, g, true);
      assertTrue(Double.isFinite(loss[s]), c + " " + dt + ": loss " + loss[s] + " at step " + s);
      if (s < c.steps()) net.params().subi(g.mul(c.lr()));
    }
    assertTrue(loss[c.steps()] < loss[0], c + " " + dt + ": the loss did not fall: " + Arrays.toString(loss));
    INDArray p = net.output(x, false);
    assertArrayEquals(new long[] { c.batch(), c.classes() }, p.shape());
    assertEquals(c.batch(), p.sumNumber().doubleValue(), 1e-4 * c.batch());
    System.out.printf("[models] %-22s %-6s %,11d params  loss %.4f -> %.4f  %.1f s%n", c, dt, net.numParams(), loss[0],
        loss[c.steps()], (System.nanoTime() - t0) / 1e9);
  }

  /**
   * DL4J sums the batch gradient; the abstraction returns the MEAN: it must equal the mean of per-example gradients
   * (batch of 1 each), and the loss the mean of per-example losses and of -log p(label) from the output.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "mlp|{\"hidden\":[9,7]}|1|6|6",
      "simplecnn|{\"type\":\"simplecnn\",\"init\":\"relu\"}|1|8|8",
      "resnet-8 graph|{\"type\":\"resnet\",\"depth\":8,\"batchNorm\":false,\"init\":\"relu\"}|3|8|8" })
  public void gradientIsTheMeanOfPerExampleGradients(String name, String json, int c, int h, int w) {
    DataType dt = DataType.DOUBLE;
    InputShape shape = InputShape.image(c, h, w);
    int n = 5;
    int k = 3;
    Network net = ModelBatches.build(model(json), dt, 3, shape, k);
    INDArray x = ModelBatches.features(shape, n, k, dt, 4);
    INDArray y = ModelBatches.labels(n, k, dt);
    INDArray g = Nd4j.create(dt, 1, net.numParams());
    double loss = net.meanGradient(x, y, g);

    INDArray sum = Nd4j.zeros(dt, 1, net.numParams());
    INDArray gi = Nd4j.create(dt, 1, net.numParams());
    double lossSum = 0;
    for (int i = 0; i < n; i++) {
      lossSum += net.meanGradient(x.getRow(i, true), y.getRow(i, true), gi);
      sum.addi(gi);
    }
    INDArray mean = sum.div(n);
    double rel = g.sub(mean).norm2Number().doubleValue() / mean.norm2Number().doubleValue();
    assertTrue(rel < 1e-10, name + ": |g - mean of per-example g| / |g| = " + rel);
    assertEquals(lossSum / n, loss, 1e-12, name);
    INDArray p = net.output(x, false);
    double ce = 0;
    for (int i = 0; i < n; i++) ce -= Math.log(p.getDouble(i, i % k));
    assertEquals(ce / n, loss, 1e-10, name + ": the loss is the mean cross-entropy of the softmax output");
  }

  /**
   * With batch normalisation the per-example split does not exist, so the mean gradient is checked against a
   * central difference of the (train-mode) mean loss along a random direction, in double.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "mlp BN|{\"hidden\":[9,7],\"batchNorm\":true}|1|6|6",
      "resnet-8 BN|{\"type\":\"resnet\",\"depth\":8,\"init\":\"relu\"}|3|8|8" })
  public void batchNormGradientIsTheDerivativeOfTheMeanLoss(String name, String json, int c, int h, int w) {
    DataType dt = DataType.DOUBLE;
    InputShape shape = InputShape.image(c, h, w);
    Network net = ModelBatches.build(model(json), dt, 5, shape, 3);
    INDArray x = ModelBatches.features(shape, 6, 3, dt, 6);
    INDArray y = ModelBatches.labels(6, 3, dt);
    INDArray g = Nd4j.create(dt, 1, net.numParams());
    net.meanGradient(x, y, g);
    INDArray v = Nd4j.rand(dt, 1, net.numParams()).subi(0.5).muli(net.trainableMask());
    v.divi(v.norm2Number());
    INDArray theta = net.params().dup();
    double eps = 1e-5;
    INDArray scratch = Nd4j.create(dt, 1, net.numParams());
    net.params().assign(theta.add(v.mul(eps)));
    double up = net.meanGradient(x, y, scratch);
    net.params().assign(theta.sub(v.mul(eps)));
    double down = net.meanGradient(x, y, scratch);
    net.params().assign(theta);
    double fd = (up - down) / (2 * eps);
    double exact = g.mul(v).sumNumber().doubleValue();
    assertEquals(fd, exact, 1e-6 * Math.max(1, Math.abs(fd)), name + ": directional derivative");
    assertEquals(0.0, g.mul(net.trainableMask().rsub(1)).norm2Number().doubleValue(), 0.0,
        name + ": the running statistics have no gradient");
  }

  /** batch normalisation: train mode normalises by the batch, inference by the running statistics */
  @Test
  public void batchNormTrainAndInferenceOutputsDifferAndStatisticsMoveOnlyWhenAsked() {
    DataType dt = DataType.DOUBLE;
    Network net = ModelBatches.build(model("{\"preset\":\"bn4\"}"), dt, 7, GREY, 3);
    assertTrue(net.hasBatchNorm());
    INDArray x = ModelBatches.features(GREY, 16, 3, dt, 8);
    INDArray y = ModelBatches.labels(16, 3, dt);
    INDArray before = net.params().dup();
    INDArray train = net.output(x, true);
    INDArray infer = net.output(x, false);
    assertTrue(train.sub(infer).norm2Number().doubleValue() > 1e-3, "train and inference outputs are the same");
    assertTrue(same(before, net.params()), "output() changed the parameters");
    INDArray g = Nd4j.create(dt, 1, net.numParams());
    net.meanGradient(x, y, g);
    assertTrue(same(before, net.params()), "meanGradient without updateStatistics changed the parameters");

    // one statistics update from mean 0 / variance 1: running = 0.9 * running + 0.1 * batch (population variance)
    net.meanGradient(x, y, g, true);
    INDArray h = x.mmul(net.paramTable().get("0_W"));
    INDArray mean = h.mean(0);
    INDArray var = h.var(false, 0);
    assertEquals(0.0, net.paramTable().get("1_mean").sub(mean.mul(0.1)).norm2Number().doubleValue(), 1e-10);
    // population variance: the sample variance would be off by 0.1 * var / 15, about 1e-2 per entry
    assertEquals(0.0, net.paramTable().get("1_var").sub(var.mul(0.1).add(0.9)).norm2Number().doubleValue(), 1e-4);
    INDArray changed = net.params().sub(before);
    assertEquals(0.0, changed.mul(net.trainableMask()).norm2Number().doubleValue(), 0.0,
        "a statistics update changed a trainable parameter");

    Network plain = ModelBatches.build(model("{\"preset\":\"mnist256\"}"), dt, 7, GREY, 3);
    assertFalse(plain.hasBatchNorm());
    assertEquals(plain.output(x, true), plain.output(x, false));
    assertEquals(plain.numParams(), plain.trainableMask().sumNumber().longValue());
  }

  /** same seed, same parameters bit for bit (every layer kind); another seed, other parameters */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "softmax|{\"type\":\"softmax\",\"init\":\"uniform\"}|1|8|8",
      "mlp BN|{\"hidden\":[9,7],\"batchNorm\":true,\"init\":\"lecun_normal\"}|1|8|8",
      "simplecnn BN|{\"type\":\"simplecnn\",\"batchNorm\":true,\"init\":\"relu\"}|3|8|8",
      "resnet-8 no BN|{\"type\":\"resnet\",\"depth\":8,\"batchNorm\":false,\"init\":\"relu\"}|3|8|8" })
  public void sameSeedGivesBitIdenticalParameters(String name, String json, int c, int h, int w) {
    InputShape shape = InputShape.image(c, h, w);
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      double[] a = ModelBatches.build(model(json), dt, 42, shape, 4).params().toDoubleVector();
      double[] b = ModelBatches.build(model(json), dt, 42, shape, 4).params().toDoubleVector();
      double[] other = ModelBatches.build(model(json), dt, 43, shape, 4).params().toDoubleVector();
      assertTrue(Arrays.equals(a, b), name + " " + dt + ": same seed, different parameters");
      assertFalse(Arrays.equals(a, other), name + " " + dt + ": another seed, same parameters");
    }
  }

  /** the seeded draw is the documented one: layer i's stream, row-major W [in, out], stored column-major, b = 0 */
  @Test
  public void seededValuesFollowTheDocumentedFormula() {
    Network net = ModelBatches.build(model("{\"type\":\"softmax\"}"), DataType.DOUBLE, 0, InputShape.image(1, 2, 2), 3);
    // W [4, 3] xavier N(0, 2/7) from SplittableRandom(0), row-major, stored column-major by DL4J; then b = 0
    double[] p = net.params().toDoubleVector();
    SplittableRandom r = new SplittableRandom(0);
    double sd = Math.sqrt(2.0 / 7);
    double[] w = new double[12];
    for (int j = 0; j < 12; j++) w[j] = r.nextGaussian() * sd;
    for (int i = 0; i < 4; i++) {
      for (int k = 0; k < 3; k++) assertEquals(w[i * 3 + k], p[i + 4 * k], 0.0, "W[" + i + "," + k + "]");
    }
    assertEquals(0.0, p[12] + p[13] + p[14], 0.0);
    assertEquals(15, p.length);
  }

  /** the zoo's MLP is the walking skeleton's (same layout, same seeded values), so switching the trainer changes no run */
  @Test
  public void mlpEqualsTheWalkingSkeletonsNetwork() {
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      for (String init : List.of("xavier", "relu", "uniform")) {
        ModelSpec m = model("{\"hidden\":[30,10],\"init\":\"" + init + "\"}");
        Network zoo = ModelBatches.build(m, dt, 11, GREY, 10);
        assertArrayEquals(skeletonFormula(new int[] { 784, 30, 10, 10 }, init, 11, dt), zoo.params().toDoubleVector(), 0.0,
            dt + " " + init);
      }
    }
  }

  /** the walking skeleton's initialisation loop as it was (per layer: W [in, out] row-major, stored column-major; b 0) */
  private static double[] skeletonFormula(int[] sizes, String scheme, long seed, DataType dt) {
    List<Double> out = new ArrayList<>();
    for (int l = 0; l + 1 < sizes.length; l++) {
      int fanIn = sizes[l];
      int fanOut = sizes[l + 1];
      SplittableRandom r = new SplittableRandom(seed * 1_000_003L + l);
      double[] v = new double[fanIn * fanOut];
      for (int j = 0; j < v.length; j++) {
        v[j] = switch (scheme) {
          case "relu" -> r.nextGaussian() * Math.sqrt(2.0 / fanIn);
          case "uniform" -> (2 * r.nextDouble() - 1) / Math.sqrt(fanIn);
          default -> r.nextGaussian() * Math.sqrt(2.0 / (fanIn + fanOut));
        };
      }
      for (int col = 0; col < fanOut; col++) {
        for (int row = 0; row < fanIn; row++) {
          double x = v[row * fanOut + col];
          out.add(dt == DataType.FLOAT ? (double) (float) x : x);
        }
      }
      for (int b = 0; b < fanOut; b++) out.add(0.0);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** softmax regression: W [features, classes] flattened as DL4J does (column-major), then b */
  @Test
  public void softmaxParameterLayoutIsWThenB() {
    Network net = ModelBatches.build(model("{\"type\":\"softmax\"}"), DataType.DOUBLE, 3, GREY, 10);
    assertEquals(7850, net.numParams());
    INDArray w = net.paramTable().get("0_W");
    INDArray b = net.paramTable().get("0_b");
    assertArrayEquals(new long[] { 784, 10 }, w.shape());
    double[] p = net.params().toDoubleVector();
    assertEquals(w.getDouble(5, 7), p[5 + 784 * 7], 0.0);
    b.putScalar(3, 0.25);
    assertEquals(0.25, net.params().getDouble(7840 + 3), 0.0);
  }

  /** the papers' sizes: SimpleCNN as the peer's (591,274), VGG-11 9.23M, ResNet-32 0.46M and ResNet-56 0.85M */
  @Test
  public void parameterCountsAreThePapers() {
    DataType dt = DataType.FLOAT;
    assertEquals(591_274, ModelBatches.build(model("{\"type\":\"simplecnn\"}"), dt, 0, RGB, 10).numParams());
    assertEquals(9_225_610, ModelBatches.build(model("{\"type\":\"vgg11\"}"), dt, 0, RGB, 10).numParams());
    Network r32 = ModelBatches.build(model("{\"type\":\"resnet\",\"depth\":32}"), dt, 0, RGB, 10);
    Network r56 = ModelBatches.build(model("{\"type\":\"resnet\",\"depth\":56}"), dt, 0, RGB, 10);
    assertEquals(0.46, trainable(r32) / 1e6, 0.005, r32.describe());
    assertEquals(0.85, trainable(r56) / 1e6, 0.005, r56.describe());
    // a ResNet-56 step runs (the 110-vertex graph is wired right); on 8x8 to stay cheap
    Network small56 = ModelBatches.build(model("{\"type\":\"resnet\",\"depth\":56}"), dt, 0, TINY_RGB, 10);
    INDArray g = Nd4j.create(dt, 1, small56.numParams());
    double loss = small56.meanGradient(ModelBatches.features(TINY_RGB, 4, 10, dt, 1), ModelBatches.labels(4, 10, dt), g);
    assertTrue(Double.isFinite(loss) && g.norm2Number().doubleValue() > 0);
  }

  private static boolean same(INDArray a, INDArray b) {
    return Arrays.equals(a.toDoubleVector(), b.toDoubleVector());
  }

  private static long trainable(Network n) {
    return n.trainableMask().sumNumber().longValue();
  }

  /**
   * ResNet without BN (001 footnote 7, Taki 2017): the last convolution of every residual branch is drawn from the
   * scheme and multiplied by 1/sqrt(L), L = 3n residual blocks (15 for ResNet-32); the first convolution of the
   * branch (same fans) is not. With BN nothing is scaled.
   */
  @Test
  public void resnetWithoutBatchNormScalesTheBranchEndsByDepth() {
    DataType dt = DataType.DOUBLE;
    Network plain = ModelBatches.build(model("{\"type\":\"resnet\",\"depth\":32,\"batchNorm\":false,\"init\":\"relu\"}"),
        dt, 9, TINY_RGB, 10);
    Network bn = ModelBatches.build(model("{\"type\":\"resnet\",\"depth\":32,\"init\":\"relu\"}"), dt, 9, TINY_RGB, 10);
    for (String block : List.of("s1b1", "s1b5", "s2b2", "s3b5")) {
      double first = std(plain.paramTable().get(block + "_conv1_W"));
      double end = std(plain.paramTable().get(block + "_conv2_W"));
      double fanIn = plain.paramTable().get(block + "_conv2_W").size(1) * 9.0;
      assertEquals(Math.sqrt(2.0 / fanIn) / Math.sqrt(15), end, 0.06 * end, block + " branch end");
      assertEquals(1 / Math.sqrt(15), end / first, 0.08 / Math.sqrt(15), block + " ratio of branch end to branch start");
      double bnEnd = std(bn.paramTable().get(block + "_conv2_W"));
      assertEquals(Math.sqrt(2.0 / fanIn), bnEnd, 0.06 * bnEnd, block + " with BN: not scaled");
    }
    assertEquals(Math.sqrt(2.0 / 27), std(plain.paramTable().get("stem_W")), 0.15 * Math.sqrt(2.0 / 27), "stem: He, unscaled");
    assertTrue(plain.describe().contains("1/sqrt(15)"), plain.describe());
  }

  private static double std(INDArray a) {
    return a.stdNumber().doubleValue();
  }

  /** copy(): the same function, its own parameters */
  @Test
  public void copyHasTheSameFunctionAndItsOwnParameters() {
    DataType dt = DataType.FLOAT;
    Network net = ModelBatches.build(model("{\"type\":\"resnet\",\"depth\":8}"), dt, 1, TINY_RGB, 3);
    INDArray x = ModelBatches.features(TINY_RGB, 4, 3, dt, 1);
    Network copy = net.copy();
    assertEquals(net.output(x, false), copy.output(x, false));
    assertEquals(net.describe(), copy.describe());
    copy.params().muli(0.5);
    assertNotEquals(net.params(), copy.params());
    assertTrue(copy.hasBatchNorm());
    assertArrayEquals(new long[] { 4, 3, 8, 8 }, copy.inputShape().batchShape(4));
    assertEquals(copy.output(x, false), copy.output(x.reshape(4, 3, 8, 8), false), "rows and NCHW input are the same");
  }

  /** bad model specs: one sentence naming the field, from the spec alone or against the data */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"transformer\"}|1|28|28|10|model.type|Field 'model.type' must be one of lstm, mlp, quadratic, resnet, simplecnn, softmax, vgg11, but it is 'transformer'.",
      "{\"preset\":\"bn5\"}|1|28|28|10|model.preset|Field 'model.preset' must be one of bn4, deep20, fmnist-300-100, mnist256, but it is 'bn5'.",
      "{\"type\":\"resnet\",\"preset\":\"bn4\"}|3|32|32|10|model.preset|Field 'model.preset' applies only to the model type mlp, but the type is 'resnet'.",
      "{\"preset\":\"bn4\",\"hidden\":[100]}|1|28|28|10|model.hidden|Field 'model.hidden' must be left out or be the preset's [256, 256, 256, 256], because model.preset is 'bn4', but it is [100].",
      "{\"preset\":\"bn4\",\"batchNorm\":false}|1|28|28|10|model.batchNorm|Field 'model.batchNorm' must be left out or be true, because model.preset is 'bn4', but it is false.",
      "{\"type\":\"resnet\",\"depth\":30}|3|32|32|10|model.depth|Field 'model.depth' must be 6n+2 with n >= 1 for a CIFAR ResNet (8, 20, 32, 44, 56, 110, ...), but it is 30.",
      "{\"type\":\"vgg11\",\"depth\":32}|3|32|32|10|model.depth|Field 'model.depth' applies only to the model type resnet, but the type is 'vgg11'.",
      "{\"type\":\"softmax\",\"batchNorm\":true}|1|28|28|10|model.batchNorm|Field 'model.batchNorm' applies only to the model types mlp, resnet, simplecnn, vgg11, but the type is 'softmax'.",
      "{\"type\":\"simplecnn\",\"hidden\":[10]}|1|28|28|10|model.hidden|Field 'model.hidden' applies only to the model types lstm, mlp, but the type is 'simplecnn'.",
      "{\"type\":\"resnet\",\"activation\":\"tanh\"}|3|32|32|10|model.activation|Field 'model.activation' applies only to the model types mlp, simplecnn, vgg11 (resnet has ReLU units), but it is 'tanh'.",
      "{\"hidden\":[300,-1]}|1|28|28|10|model.hidden|Field 'model.hidden' must list positive layer widths, but entry 1 is -1.",
      "{\"classes\":1}|1|28|28|10|model.classes|Field 'model.classes' must be at least 2 (or left out to take the data's), but it is 1.",
      "{\"type\":\"vgg11\",\"classes\":100}|3|32|32|10|model.classes|Field 'model.classes' is 100, but the data has 10 classes; leave it out or set it to 10.",
      "{\"type\":\"vgg11\"}|1|28|28|10|model.type|The model type vgg11 needs images of at least 32x32 for its five 2x2 poolings, but the data's images are 28x28.",
      "{\"type\":\"simplecnn\"}|1|3|28|10|model.type|The model type simplecnn needs images of at least 4x4 for its two 2x2 poolings, but the data's images are 3x28.",
      "{\"type\":\"resnet\"}|1|2|2|10|model.type|The model type resnet needs images of at least 4x4 for its two stride-2 stages, but the data's images are 2x2." })
  public void badModelSpecsAreOneSentence(String json, int c, int h, int w, int classes, String field, String message) {
    SpecException e = assertThrows(SpecException.class, () -> {
      ModelSpec m = Specs.parse("{\"model\":" + json + "}").model;
      ModelZoo.check(m, InputShape.image(c, h, w), classes);
    });
    assertEquals(field, e.field(), e.getMessage());
    assertEquals(message, e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  /** a resolved spec names the architecture that runs, and reads back to itself */
  @Test
  public void presetsResolveAndRoundTrip() throws Exception {
    ModelSpec m = model("{\"preset\":\"deep20\"}");
    assertEquals(20, m.hidden.size());
    assertEquals(Boolean.FALSE, m.batchNorm);
    ModelSpec back = Specs.parse("{\"model\":" + Specs.toJson(model("{\"preset\":\"bn4\"}")) + "}").model;
    assertEquals(List.of(256, 256, 256, 256), back.hidden);
    assertEquals(Boolean.TRUE, back.batchNorm);
    ModelSpec r = model("{\"type\":\"resnet\"}");
    assertEquals(32, r.depth);
    assertEquals(Boolean.TRUE, r.batchNorm);
    assertEquals(null, r.hidden);
    assertEquals(List.of(300, 100), model("{}").hidden);
    String once = Specs.toJson(r);
    org.trajlab.engine.models.ModelTypes.resolve(r);
    assertEquals(once, Specs.toJson(r), "resolving twice changes nothing");
  }

  /** the data layout: flat rows become [N, C, H, W] channel-major, as the data layer writes pixels */
  @Test
  public void rowsBecomeChannelMajorImages() {
    INDArray rows = Nd4j.arange(2 * 3 * 2 * 2).reshape(2, 12).castTo(DataType.FLOAT);
    INDArray img = InputShape.image(3, 2, 2).toInput(rows);
    assertArrayEquals(new long[] { 2, 3, 2, 2 }, img.shape());
    assertEquals(1 * 12 + 2 * 4 + 1 * 2 + 0, img.getDouble(1, 2, 1, 0), 0.0);
    assertEquals(rows, InputShape.flat(3, 2, 2).toInput(rows));
    assertThrows(IllegalArgumentException.class, () -> InputShape.image(3, 2, 2).toInput(Nd4j.zeros(2, 11)));
  }
}
