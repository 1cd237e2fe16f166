package org.trajlab.engine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.tests.ModelBatches;

/**
 * JavaRelu's backprop is DL4J's relu backprop bit for bit — on [N, C, H, W] arrays with every kind of number (±0, ±∞,
 * NaNs, subnormals), in both precisions, on its own loop and on DL4J's when the buffers' layouts differ (an order, a
 * permutation) — and
 * leaves its inputs as they were; SimpleCNN, whose convolutions take it, has the gradient of the same network with
 * DL4J's relu to the last bit.
 */
public class JavaReluTest {
  @BeforeAll
  static void nd4j() {
    Nd4jSetup.init();
  }

  private static INDArray image(double[] v, DataType dt, char order) {
    INDArray a = Nd4j.createUninitialized(dt, new long[] { 6, 5, 7, 9 }, order);
    INDArray c = Nd4j.createUninitialized(dt, new long[] { 6, 5, 7, 9 }, 'c');
    for (int i = 0; i < v.length; i++) c.putScalar(i, v[i]);
    return a.assign(c);
  }

  private static long[] bits(INDArray a) {
    INDArray c = a.dup('c');
    long[] b = new long[(int) c.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = a.dataType() == DataType.FLOAT ? Float.floatToRawIntBits(c.data().getFloat(i))
          : Double.doubleToRawLongBits(c.data().getDouble(i));
    }
    return b;
  }

  @Test
  public void backpropIsDl4jsBitForBit() {
    int n = 6 * 5 * 7 * 9;
    double[] v = RowOpsTest.entries(n, 11);
    double[] e = RowOpsTest.entries(n, 12);
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      for (int layout = 0; layout < 3; layout++) { // 1, 2: DL4J's loop (the buffers' entries do not correspond)
        INDArray z = image(v, dt, 'c');
        INDArray eps = image(e, dt, layout == 1 ? 'f' : 'c');
        if (layout == 2) { // z permuted: a whole buffer of c order by name, its strides not c order's
          z = image(v, dt, 'c').permute(0, 1, 3, 2).dup('c').permute(0, 1, 3, 2);
          eps = image(e, dt, 'c');
        }
        long[] z0 = bits(z), eps0 = bits(eps);
        INDArray ours = new JavaRelu().backprop(z, eps).getFirst();
        assertArrayEquals(z0, bits(z), "the pre-activations are left as they were");
        assertArrayEquals(eps0, bits(eps), "the errors are left as they were");
        INDArray dl4j = new ActivationReLU().backprop(z.dup(), eps.dup()).getFirst();
        assertArrayEquals(bits(dl4j), bits(ours), dt + ", layout " + layout);
        long zeros = java.util.Arrays.stream(bits(ours)).filter(b -> b == 0).count();
        assertNotEquals(0, zeros, "some entries are cut");
        assertNotEquals(n, zeros, "some entries pass");
      }
    }
  }

  private static ConvolutionLayer firstConvolution(Network net) {
    MultiLayerNetwork mln = (MultiLayerNetwork) ((Dl4jNetwork) net).model();
    return (ConvolutionLayer) mln.getLayerWiseConfigurations().getConf(0).getLayer();
  }

  @Test
  public void simpleCnnHasDl4jsGradient() throws Exception {
    ModelSpec m = Specs.parse("{\"model\":{\"type\":\"simplecnn\",\"init\":\"relu\"}}").model;
    ModelTypes.resolve(m);
    InputShape rgb = InputShape.image(3, 32, 32);
    INDArray x = ModelBatches.features(rgb, 16, 10, DataType.FLOAT, 3);
    INDArray y = ModelBatches.labels(16, 10, DataType.FLOAT);
    Network ours = ModelZoo.build(m, DataType.FLOAT, 0, rgb, 10);
    Network dl4j;
    System.setProperty("trajlab.javaRelu", "false");
    try {
      dl4j = ModelZoo.build(m, DataType.FLOAT, 0, rgb, 10);
    } finally {
      System.clearProperty("trajlab.javaRelu");
    }
    assertInstanceOf(JavaRelu.class, firstConvolution(ours).getActivationFn());
    assertEquals(ActivationReLU.class, firstConvolution(dl4j).getActivationFn().getClass());
    dl4j.params().assign(ours.params());
    INDArray g = Nd4j.create(DataType.FLOAT, 1, ours.numParams());
    INDArray h = Nd4j.create(DataType.FLOAT, 1, ours.numParams());
    for (int step = 0; step < 2; step++) { // at initialisation and after one step
      double lossOurs = ours.meanGradient(x, y, g);
      double lossDl4j = dl4j.meanGradient(x, y, h);
      assertEquals(lossDl4j, lossOurs, 0.0);
      assertArrayEquals(bits(h), bits(g), "SimpleCNN's gradient, step " + step);
      ours.params().subi(g.reshape(ours.params().shape()).mul(0.1));
      dl4j.params().subi(h.reshape(dl4j.params().shape()).mul(0.1));
    }
  }
}
