package org.trajlab.engine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.tests.ModelBatches;
import org.trajlab.engine.tests.ModelZooTest;

/**
 * The zoo's networks keep each convolution's pre-activations from the training forward pass for its backprop
 * (DL4J's CacheMode), where DL4J otherwise computes the convolution a second time. The gradients are DL4J's without
 * the cache to the last bit, also on a second batch and after the parameters moved (a stale pre-activation, from the
 * batch or the parameters before, would change them).
 */
public class CachedPreOutputTest {
  @BeforeAll
  static void nd4j() {
    Nd4jSetup.init();
  }

  static final String[] MODELS = { "{\"type\":\"simplecnn\"}", "{\"type\":\"simplecnn\",\"batchNorm\":true}",
      "{\"type\":\"resnet\",\"depth\":8}" };

  @Test
  public void convolutionGradientsWithTheCacheAreThoseWithout() throws Exception {
    InputShape shape = InputShape.image(3, 8, 8);
    for (String json : MODELS) {
      for (DataType dt : new DataType[] { DataType.DOUBLE, DataType.FLOAT }) {
        Dl4jNetwork cached = (Dl4jNetwork) ModelZoo.build(ModelZooTest.model(json), dt, 3, shape, 10);
        Dl4jNetwork plain = (Dl4jNetwork) cached.copy();
        assertEquals(CacheMode.DEVICE, cacheMode(cached), json);
        if (plain.model() instanceof MultiLayerNetwork s) s.setCacheMode(CacheMode.NONE);
        if (plain.model() instanceof ComputationGraph g) g.setCacheMode(CacheMode.NONE);
        assertEquals(CacheMode.NONE, cacheMode(plain), json);
        double[] before = null;
        for (int round = 0; round < 3; round++) {
          if (round == 2) { // the parameters move: a kept pre-activation of round 1 would be stale
            INDArray step = Nd4j.rand(dt, cached.params().shape()).subi(0.5).muli(0.05);
            cached.params().addi(step);
            plain.params().addi(step);
          }
          INDArray x = ModelBatches.features(shape, 6, 10, dt, round); // a new batch each round
          INDArray y = ModelBatches.labels(6, 10, dt);
          INDArray g1 = Nd4j.create(dt, cached.params().shape());
          INDArray g2 = Nd4j.create(dt, plain.params().shape());
          double l1 = cached.meanGradient(x, y, g1, true);
          double l2 = plain.meanGradient(x, y, g2, true);
          String what = json + " " + dt + " round " + round;
          assertEquals(l2, l1, 0.0, what + ": loss");
          double[] g = g1.toDoubleVector();
          assertArrayEquals(g2.toDoubleVector(), g, 0.0, what + ": gradient");
          if (before != null) assertNotEquals(before[0], g[0], what + ": a new batch gives a new gradient");
          before = g;
        }
      }
    }
  }

  /** the cache mode of the network's convolution layers (one mode, or the test fails) */
  private static CacheMode cacheMode(Dl4jNetwork n) {
    org.deeplearning4j.nn.api.Layer[] layers = n.model() instanceof MultiLayerNetwork s ? s.getLayers()
        : ((ComputationGraph) n.model()).getLayers();
    CacheMode mode = null;
    for (org.deeplearning4j.nn.api.Layer l : layers) {
      if (l instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer c) {
        if (mode != null) assertEquals(mode, c.getCacheMode(), "one cache mode for every convolution");
        mode = c.getCacheMode();
      }
    }
    return mode;
  }
}
