package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.spec.OptimizerSpec;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.Network;
import org.trajlab.engine.optim.Optimizer;

/**
 * Benchmark, not a timed test: runs only with -Dtrajlab.slow=true. The SGD step time (mean gradient and update) of
 * the convolutional models at batch 128 on 32x32x3 (FLOAT), the quantity the peer's {@code timing.py cnn a} measures;
 * SimpleCNN's evaluation (the loss on 5,000 images through the objective, FLOAT: {@code timing.py cnn b}); one
 * Hessian-vector product of SimpleCNN in DOUBLE through the engine's objective on 256 images (the row) and on
 * the 2,560 images of {@code timing.py cnn c}; and whether ND4J runs with oneDNN (the {@code -onednn} native classifier;
 * DL4J's helpers are switched on by Nd4jSetup). Writes bench-models.json next to the test output. Medians of wall time,
 * every repeat under {@code repeats}.
 */
public class ModelZooBenchmarkTest {
  static final String SIMPLECNN = "{\"type\":\"simplecnn\",\"init\":\"relu\"}";

  @Test
  public void convolutionalGradientTimes() throws Exception {
    assumeTrue(Boolean.getBoolean("trajlab.slow"), "benchmarks run with -Dtrajlab.slow=true");
    Nd4jSetup.init();
    BenchTimes out = new BenchTimes();
    out.put("onednn", org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN());
    out.put("helpers_disable", System.getProperty("org.eclipse.deeplearning4j.helpers.disable"));
    out.put("threads", Nd4j.getEnvironment().maxThreads());
    out.put("load_before", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    InputShape rgb = InputShape.image(3, 32, 32);
    DataType dt = DataType.FLOAT;
    INDArray x = ModelBatches.features(rgb, 128, 10, dt, 1);
    INDArray y = ModelBatches.labels(128, 10, dt);
    // SimpleCNN as timing.py cnn a times it: 3 warm-up steps, then 20 (its reps = max(REPS, 20), warmup = 3)
    time(out, "simplecnn", SIMPLECNN, rgb, x, y, 3, 20);
    evaluation(out, rgb);
    hessianVectorInDouble(out, rgb);
    time(out, "simplecnn_bn", "{\"type\":\"simplecnn\",\"batchNorm\":true,\"init\":\"relu\"}", rgb, x, y, 1, 5);
    time(out, "resnet32_bn", "{\"type\":\"resnet\",\"depth\":32,\"init\":\"relu\"}", rgb, x, y, 1, 3);
    time(out, "vgg11_bn", "{\"type\":\"vgg11\",\"batchNorm\":true,\"init\":\"relu\"}", rgb, x, y, 1, 3);
    out.put("load_after", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    out.write("bench-models.json");
  }

  /** n random 32x32x3 images in [0, 1) with labels i mod 10 (the peer's are Gaussian: the cost is the same) */
  static ImageSet randomImages(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] px = new float[n * 3 * 32 * 32];
    for (int i = 0; i < px.length; i++) px[i] = (float) r.nextDouble();
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) labels[i] = i % 10;
    return new ImageSet(px, labels, 3, 32, 32, 10);
  }

  /** SimpleCNN's loss on 5,000 images as the evaluator computes it (the objective's chunks, FLOAT) */
  private static void evaluation(BenchTimes out, InputShape rgb) throws Exception {
    ImageSet images = randomImages(5000, 2);
    Network net = ModelBatches.build(ModelZooTest.model(SIMPLECNN), DataType.FLOAT, 0, rgb, 10);
    Dl4jObjective o = new Dl4jObjective(net, null, images, images.head(10), GroupGradientsTest.range(5000));
    DataView v = o.view("train-eval");
    double[] theta = net.params().toDoubleVector();
    double[] loss = new double[1];
    out.time("simplecnn_loss_5000_f32_s", () -> loss[0] = o.loss(v, theta), 1, 3);
    assertTrue(Math.abs(loss[0] - Math.log(10)) < 1, "the loss at initialisation is near ln 10: " + loss[0]);
  }

  /** one Hessian-vector product of SimpleCNN in DOUBLE through the objective (as the curvature probe asks for it) */
  private static void hessianVectorInDouble(BenchTimes out, InputShape rgb) throws Exception {
    for (int n : new int[] { 256, 2560 }) {
      ImageSet images = randomImages(n, 3);
      Network net = ModelBatches.build(ModelZooTest.model(SIMPLECNN), DataType.DOUBLE, 0, rgb, 10);
      Dl4jObjective o = new Dl4jObjective(net, null, images, images.head(10), GroupGradientsTest.range(n));
      DataView v = o.view("train-eval");
      double[] theta = net.params().toDoubleVector();
      double[] u = new double[theta.length];
      double[] hu = new double[theta.length];
      java.util.Random r = new java.util.Random(1);
      for (int i = 0; i < u.length; i++) u[i] = r.nextGaussian();
      // 256 images: one untimed product first; 2,560 images (a product takes minutes): none, as timing.py cnn c
      out.time("simplecnn_hvp_" + n + "_f64_s", () -> o.hessianVector(v, theta, u, hu), n > 256 ? 0 : 1, 2);
      double uhu = 0;
      for (int i = 0; i < u.length; i++) uhu += u[i] * hu[i];
      assertTrue(Double.isFinite(uhu) && uhu != 0, "u'Hu is a finite non-zero number: " + uhu);
      out.put("simplecnn_hvp_" + n + "_uHu", uhu);
    }
    out.put("simplecnn_hvp_method", "Dl4jObjective.hessianVector (HessianProducts' choice for a convolutional model)");
  }

  private static void time(BenchTimes out, String key, String json, InputShape shape, INDArray x, INDArray y,
      int warm, int reps) throws Exception {
    Network net = ModelBatches.build(ModelZooTest.model(json), DataType.FLOAT, 0, shape, 10);
    INDArray g = Nd4j.create(DataType.FLOAT, 1, net.numParams());
    INDArray params = net.params();
    Optimizer sgd = new Optimizer(new OptimizerSpec());
    double[] s = BenchTimes.repeat(() -> {
      // one SGD step as the trainer takes it (the peer's timing.py part a): mean gradient, then the run's update
      double loss = net.meanGradient(x, y, g, true);
      sgd.apply(params, g, 0.01);
      assertTrue(Double.isFinite(loss));
    }, warm, reps);
    out.times(key + "_sgd_step_bs128_f32_s", s);
    out.put(key + "_sgd_step_bs128_f32_min_s", Arrays.stream(s).min().getAsDouble());
  }
}
