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
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.Network;

/**
 * Benchmark, not a timed test: runs only with -Dtrajlab.slow=true. The SGD step time (mean gradient and update) of
 * the convolutional models at batch 128 on 32x32x3 (FLOAT), the quantity the peer's {@code timing.py cnn a} measures, and whether ND4J
 * runs with oneDNN (the {@code -onednn} native classifier; DL4J's helpers are switched on by Nd4jSetup). Writes
 * bench-models.json next to the test output. Medians of wall time.
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
    out.put("load_after", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Path dir = Path.of(System.getProperty("trajlab.test.output", "target/test-output"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("bench-models.json"), Specs.toJson(out));
    System.out.println("[bench-models] " + Specs.toJson(out).replaceAll("\\s+", " "));
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
