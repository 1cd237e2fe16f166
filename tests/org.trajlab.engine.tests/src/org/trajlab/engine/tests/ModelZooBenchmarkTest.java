package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.spec.Specs;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.CentralDifferences;
import org.trajlab.engine.models.ConvHessian;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.Network;

/**
 * Benchmark, not a timed test: runs only with -Dtrajlab.slow=true. The SGD step time (mean gradient and update) of
 * the convolutional models at batch 128 on 32x32x3 (FLOAT), the quantity the peer's {@code timing.py cnn a} measures, and whether ND4J
 * runs with oneDNN (the {@code -onednn} native classifier; DL4J's helpers are switched on by Nd4jSetup); and one
 * Hessian-vector product of SimpleCNN on 256 images in DOUBLE by central differences and by the exact R-operator
 * (issue 13; key simplecnn_hvp_256_f64_s). Writes bench-models.json next to the test output. Medians of wall time.
 */
public class ModelZooBenchmarkTest {

  @Test
  public void convolutionalGradientTimes() throws Exception {
    assumeTrue(Boolean.getBoolean("trajlab.slow"), "benchmarks run with -Dtrajlab.slow=true");
    Nd4jSetup.init();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("onednn", org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN());
    out.put("helpers_disable", System.getProperty("org.eclipse.deeplearning4j.helpers.disable"));
    out.put("threads", Nd4j.getEnvironment().maxThreads());
    out.put("load_before", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    InputShape rgb = InputShape.image(3, 32, 32);
    DataType dt = DataType.FLOAT;
    INDArray x = ModelBatches.features(rgb, 128, 10, dt, 1);
    INDArray y = ModelBatches.labels(128, 10, dt);
    time(out, "simplecnn", "{\"type\":\"simplecnn\",\"init\":\"relu\"}", rgb, x, y, 21);
    time(out, "simplecnn_bn", "{\"type\":\"simplecnn\",\"batchNorm\":true,\"init\":\"relu\"}", rgb, x, y, 5);
    time(out, "resnet32_bn", "{\"type\":\"resnet\",\"depth\":32,\"init\":\"relu\"}", rgb, x, y, 3);
    time(out, "vgg11_bn", "{\"type\":\"vgg11\",\"batchNorm\":true,\"init\":\"relu\"}", rgb, x, y, 3);
    hessianVectorProducts(out, rgb);
    out.put("load_after", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Path dir = Path.of(System.getProperty("trajlab.test.output", "target/test-output"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("bench-models.json"), Specs.toJson(out));
    System.out.println("[bench-models] " + Specs.toJson(out).replaceAll("\\s+", " "));
  }

  /**
   * One Hessian-vector product of SimpleCNN (ReLU init) on 256 CIFAR-shaped images in DOUBLE along random directions,
   * before and after the exact R-operator, back to back in this JVM: checked central differences of the gradient
   * (the gradient at θ cached, as inside Lanczos; retries counted) and {@link ConvHessian}. The peer's double backprop
   * on the same 256 images: 12.3 s (issue 13). Medians; the two products' relative difference is recorded too.
   */
  private static void hessianVectorProducts(Map<String, Object> out, InputShape rgb) {
    Network net = ModelBatches.build(ModelZooTest.model("{\"type\":\"simplecnn\",\"init\":\"relu\"}"), DataType.DOUBLE, 0,
        rgb, 10);
    INDArray x = ModelBatches.features(rgb, 256, 10, DataType.DOUBLE, 1);
    INDArray y = ModelBatches.labels(256, 10, DataType.DOUBLE);
    int p = Math.toIntExact(net.numParams());
    double[] theta = net.params().toDoubleVector();
    CentralDifferences.Gradient gradient = (th, g) -> {
      net.params().assign(Nd4j.createFromArray(th).reshape(net.params().shape()));
      INDArray buf = Nd4j.create(DataType.DOUBLE, 1, p);
      double loss = net.meanGradient(x, y, buf);
      System.arraycopy(buf.toDoubleVector(), 0, g, 0, p);
      buf.close();
      return loss;
    };
    double[] g0 = new double[p];
    gradient.at(theta, g0);
    ConvHessian exact = ConvHessian.of(net);
    CentralDifferences fd = new CentralDifferences();
    int reps = 3;
    double[] before = new double[reps];
    double[] after = new double[reps];
    double worst = 0;
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < reps; i++) {
      double[] v = new double[p];
      for (int j = 0; j < p; j++) v[j] = r.nextGaussian();
      double[] hvFd = new double[p];
      long t0 = System.nanoTime();
      fd.product(gradient, theta, g0, v, hvFd);
      before[i] = (System.nanoTime() - t0) / 1e9;
      net.params().assign(Nd4j.createFromArray(theta).reshape(net.params().shape()));
      INDArray vv = Nd4j.createFromArray(v);
      INDArray sum = Nd4j.zeros(DataType.DOUBLE, p);
      t0 = System.nanoTime();
      exact.addProduct(x, y, vv, sum, null, 256);
      after[i] = (System.nanoTime() - t0) / 1e9;
      double[] hv = sum.toDoubleVector();
      NdArrays.close(vv, sum);
      double d = 0;
      double n = 0;
      for (int j = 0; j < p; j++) {
        d += (hv[j] - hvFd[j]) * (hv[j] - hvFd[j]);
        n += hvFd[j] * hvFd[j];
      }
      worst = Math.max(worst, Math.sqrt(d / n));
    }
    Arrays.sort(before);
    Arrays.sort(after);
    out.put("simplecnn_hvp_256_f64_differences_s", before[reps / 2]);
    out.put("simplecnn_hvp_256_f64_differences_retries", fd.retries());
    out.put("simplecnn_hvp_256_f64_differences_products", reps);
    out.put("simplecnn_hvp_256_f64_s", after[reps / 2]);
    out.put("simplecnn_hvp_256_f64_min_s", after[0]);
    out.put("simplecnn_hvp_256_f64_exact_vs_differences_rel", worst);
    out.put("simplecnn_hvp_256_f64_peer_s", 12.3);
    assertTrue(worst < 1e-3, "the exact product and the differences agree: " + worst);
  }

  /** closing ND4J temporaries at once */
  private static final class NdArrays {
    static void close(INDArray... a) {
      for (INDArray t : a) if (t.closeable()) t.close();
    }
  }

  private static void time(Map<String, Object> out, String key, String json, InputShape shape, INDArray x, INDArray y,
      int reps) {
    Network net = ModelBatches.build(ModelZooTest.model(json), DataType.FLOAT, 0, shape, 10);
    INDArray g = Nd4j.create(DataType.FLOAT, 1, net.numParams());
    INDArray params = net.params();
    net.meanGradient(x, y, g, true);
    double[] s = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      // one SGD step as the trainer takes it (the peer's timing.py part a): mean gradient, then the update
      double loss = net.meanGradient(x, y, g, true);
      params.subi(g.reshape(params.shape()).muli(0.01));
      s[i] = (System.nanoTime() - t0) / 1e9;
      assertTrue(Double.isFinite(loss));
    }
    Arrays.sort(s);
    out.put(key + "_sgd_step_bs128_f32_s", s[reps / 2]);
    out.put(key + "_sgd_step_bs128_f32_min_s", s[0]);
  }
}
