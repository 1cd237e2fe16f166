package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.Models;
import org.trajlab.engine.data.FashionMnist;

/** The objective in DOUBLE: mean (not summed) gradients, checked against finite differences of the mean loss. */
public class ObjectiveTest {
  @TempDir
  static Path tmp;
  static Dl4jObjective f;
  static double[] theta;

  @BeforeAll
  static void setUp() throws Exception {
    Nd4jSetup.init();
    FashionMnist d = FashionMnist.load(TestData.writeIdx(tmp.resolve("d"), 64, 16, 6, 6, 9));
    ModelSpec m = new ModelSpec();
    m.hidden = java.util.List.of(7);
    MultiLayerConfiguration conf = Models.mlp(m, DataType.DOUBLE, 3, 36, 10);
    int[] evalIdx = new int[32];
    for (int i = 0; i < 32; i++) evalIdx[i] = i;
    f = new Dl4jObjective(conf, d.train(), d.test(), evalIdx);
    theta = new double[f.numParams()];
    java.util.Random r = new java.util.Random(5);
    for (int i = 0; i < theta.length; i++) theta[i] = 0.3 * r.nextGaussian();
  }

  @Test
  public void gradientIsTheMeanOfPerExampleGradients() {
    DataView both = f.batch("two", new int[] { 3, 8 });
    double[] g = new double[f.numParams()];
    double[] g3 = new double[f.numParams()];
    double[] g8 = new double[f.numParams()];
    double l = f.gradient(both, theta, g);
    double l3 = f.gradient(f.batch("3", new int[] { 3 }), theta, g3);
    double l8 = f.gradient(f.batch("8", new int[] { 8 }), theta, g8);
    assertEquals((l3 + l8) / 2, l, 1e-14);
    for (int i = 0; i < g.length; i++) {
      assertEquals((g3[i] + g8[i]) / 2, g[i], 1e-14, "parameter " + i);
    }
    assertEquals(l, f.loss(both, theta), 1e-13, "gradient's loss = evaluate's loss");
  }

  @Test
  public void gradientMatchesFiniteDifferencesInDouble() {
    DataView v = f.view("train-eval");
    double[] g = new double[f.numParams()];
    f.gradient(v, theta, g);
    java.util.Random r = new java.util.Random(11);
    double[] u = new double[g.length];
    double norm = 0;
    for (int i = 0; i < u.length; i++) {
      u[i] = r.nextGaussian();
      norm += u[i] * u[i];
    }
    double eps = 1e-6 / Math.sqrt(norm);
    double[] plus = theta.clone();
    double[] minus = theta.clone();
    double gu = 0;
    for (int i = 0; i < u.length; i++) {
      plus[i] += eps * u[i];
      minus[i] -= eps * u[i];
      gu += g[i] * u[i];
    }
    double fd = (f.loss(v, plus) - f.loss(v, minus)) / (2 * eps);
    assertEquals(gu, fd, 1e-6 * Math.abs(gu) + 1e-9);
    assertTrue(Math.abs(gu) > 1e-3, "a non-trivial directional derivative: " + gu);
  }
}
