package org.trajlab.engine.tests;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;

/** Tiny seeded batches of the shape a model needs, as the data layer hands them out (flat channel-major rows). */
public final class ModelBatches {
  private ModelBatches() {}

  /** n rows of pixels in [0, 1) whose class k brightens every k-th pixel, so the classes can be told apart */
  public static INDArray features(InputShape shape, int n, int classes, DataType dt, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int f = shape.features();
    double[] x = new double[n * f];
    for (int i = 0; i < n; i++) {
      int k = i % classes;
      for (int j = 0; j < f; j++) {
        x[i * f + j] = 0.5 * r.nextDouble() + (j % classes == k ? 0.5 : 0.0);
      }
    }
    return Nd4j.create(x, new long[] { n, f }, 'c').castTo(dt);
  }

  /** one-hot labels of example i = i mod classes */
  public static INDArray labels(int n, int classes, DataType dt) {
    INDArray y = Nd4j.zeros(dt, n, classes);
    for (int i = 0; i < n; i++) y.putScalar(i, i % classes, 1.0);
    return y;
  }

  /** a model of the zoo; a refused spec fails the test with its message */
  static Network build(ModelSpec m, DataType dt, long seed, InputShape shape, int classes) {
    try {
      return ModelZoo.build(m, dt, seed, shape, classes);
    } catch (SpecException e) {
      throw new AssertionError("the spec was refused: " + e.getMessage(), e);
    }
  }
}
