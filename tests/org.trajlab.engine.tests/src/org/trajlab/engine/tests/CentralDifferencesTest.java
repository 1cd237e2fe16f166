package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.trajlab.api.objective.DataView;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.CentralDifferences;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.Network;

/**
 * Checked central differences at ReLU kinks: a product whose two sides agree is the central difference; a kink
 * crossed by the first step only is retried with a smaller one; a unit exactly at its hinge (no step avoids it) gives
 * the one-sided difference that crosses no kink, divided by the step it used — the bug this replaces divided by a
 * step 16 times smaller and returned 16 times the (already kink-polluted) product. Checked on a closed form and on a
 * DL4J ReLU network against its exact R-operator.
 */
public class CentralDifferencesTest {

  /** f(θ) = a·relu(θ_0) + ½ Σ b_i θ_i²: the gradient a·[θ_0 &gt; 0]·e_0 + b ∘ θ jumps at θ_0 = 0; H = diag(b) elsewhere */
  static CentralDifferences.Gradient kinked(double a, double[] b) {
    return (theta, out) -> {
      double loss = a * Math.max(0, theta[0]);
      for (int i = 0; i < theta.length; i++) {
        out[i] = b[i] * theta[i] + (i == 0 && theta[0] > 0 ? a : 0);
        loss += 0.5 * b[i] * theta[i] * theta[i];
      }
      return loss;
    };
  }

  static double[] bOf(int n) {
    double[] b = new double[n];
    for (int i = 0; i < n; i++) b[i] = 1 + i;
    return b;
  }

  static double[] gradientAt(CentralDifferences.Gradient g, double[] theta) {
    double[] out = new double[theta.length];
    g.at(theta, out);
    return out;
  }

  static void assertProduct(double[] b, double[] v, double[] hv, double rel) {
    for (int i = 0; i < v.length; i++) assertEquals(b[i] * v[i], hv[i], rel * Math.abs(b[i] * v[i]) + 1e-12, "entry " + i);
  }

  @Test
  public void smoothFunctionNeedsNoRetry() {
    double[] b = bOf(5);
    CentralDifferences.Gradient g = kinked(0, b);
    double[] theta = { 0.3, -1, 2, 0.5, 1 };
    double[] v = { 1, 2, -1, 0.5, 3 };
    CentralDifferences fd = new CentralDifferences();
    double[] hv = new double[5];
    fd.product(g, theta, gradientAt(g, theta), v, hv);
    assertProduct(b, v, hv, 1e-7);
    assertEquals(0, fd.retries());
    assertEquals(0, fd.unresolved());
  }

  /** θ_0 just above the hinge: the first step crosses it on the backward side, the retry's step does not */
  @Test
  public void kinkCrossedByTheFirstStepIsRetriedSmaller() {
    double[] b = bOf(4);
    double[] theta = { 0, 1, 1, 1 };
    double[] v = { 1, 0.5, -0.5, 1 };
    double eps = CentralDifferences.fdStep(Math.sqrt(3), Math.sqrt(1 + 0.25 + 0.25 + 1));
    theta[0] = eps / 2; // inside the first step, outside ε/16
    CentralDifferences.Gradient g = kinked(5, b);
    CentralDifferences fd = new CentralDifferences();
    double[] hv = new double[4];
    fd.product(g, theta, gradientAt(g, theta), v, hv);
    assertProduct(b, v, hv, 1e-6);
    assertEquals(1, fd.retries());
    assertEquals(0, fd.unresolved());
  }

  /** θ_0 = 0 exactly: every step crosses on the forward side; the backward side is exact; counted as never agreed */
  @Test
  public void unitAtItsHingeGivesTheOneSidedProductAtTheStepItUsed() {
    double[] b = bOf(4);
    double[] theta = { 0, 1, -2, 0.5 };
    double[] v = { 0.8, -0.3, 0.2, 1 };
    CentralDifferences.Gradient g = kinked(3, b);
    CentralDifferences fd = new CentralDifferences();
    double[] hv = new double[4];
    fd.product(g, theta, gradientAt(g, theta), v, hv);
    assertProduct(b, v, hv, 1e-6);
    assertEquals(CentralDifferences.RETRIES - 1, fd.retries());
    assertEquals(1, fd.unresolved());
    // the other way round: from just above the hinge a step along v_0 < 0 crosses forwards, the backward side is exact
    v[0] = -0.8;
    theta[0] = 1e-300; // above the hinge by less than any step
    fd.product(g, theta, gradientAt(g, theta), v, hv);
    assertProduct(b, v, hv, 1e-6);
    assertEquals(2, fd.unresolved());
  }

  /**
   * A DL4J ReLU MLP whose hidden units all sit exactly at their hinge for one example (an all-zero image, biases 0):
   * the product along a hidden bias, by checked central differences of the network's gradient, equals the exact
   * R-operator product (which, like DL4J's gradient, takes relu'(0) = 0).
   */
  @Test
  public void reluNetworkWithAUnitAtItsHingeMatchesTheExactProduct() throws Exception {
    Nd4jSetup.init();
    int n = 12;
    float[] px = new float[n * 4];
    int[] labels = new int[n];
    Random r = new Random(3);
    for (int i = 1; i < n; i++) {
      for (int j = 0; j < 4; j++) px[i * 4 + j] = r.nextFloat();
      labels[i] = i % 3;
    }
    ImageSet data = new ImageSet(px, labels, 2, 2, 3);
    Network net = ModelBatches.build(ModelZooTest.model("{\"type\":\"mlp\",\"hidden\":[4]}"), DataType.DOUBLE, 1,
        InputShape.flat(1, 2, 2), 3);
    int bias0 = Math.toIntExact(net.paramTable().get("0_b").offset() - net.params().offset());
    double[] theta = net.params().toDoubleVector();
    for (int j = 0; j < 4; j++) assertEquals(0.0, theta[bias0 + j], "biases start at 0: every hidden unit at its hinge for the zero image");
    Dl4jObjective o = new Dl4jObjective(net, null, data, data, new int[] { 0 });
    DataView all = o.view("train-full");
    assertEquals("exact (R-operator)", o.hessianMethod());
    for (int unit = 0; unit < 4; unit++) {
      double[] v = new double[theta.length];
      v[bias0 + unit] = 1;
      double[] exact = new double[theta.length];
      o.hessianVector(all, theta, v, exact);
      CentralDifferences fd = new CentralDifferences();
      CentralDifferences.Gradient g = (th, out) -> o.gradient(all, th, out);
      double[] hv = new double[theta.length];
      fd.product(g, theta, gradientAt(g, theta), v, hv);
      assertEquals(1, fd.unresolved(), "unit " + unit + ": the zero image's pre-activation is exactly 0, no step avoids the kink");
      double err = 0;
      double norm = 0;
      for (int i = 0; i < theta.length; i++) {
        err = Math.max(err, Math.abs(hv[i] - exact[i]));
        norm = Math.max(norm, Math.abs(exact[i]));
      }
      assertTrue(norm > 0, "unit " + unit + ": a non-trivial product");
      assertTrue(err <= 1e-6 * norm, "unit " + unit + ": max |FD - exact| = " + err + " of " + norm);
    }
  }
}
