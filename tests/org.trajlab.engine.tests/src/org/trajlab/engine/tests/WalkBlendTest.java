package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;
import org.trajlab.probes.walk.internal.WalkMath;

/**
 * The walk's losses along an update with the first layer's pre-activations blended from the two ends
 * ({@code Objective.lossesAlong} in the engine) against the plain walk (each point formed and evaluated): equal at
 * α = 0 and 1 to the last bit, within rounding in between (1e-7 relative in float, 1e-14 in double; measured: 5e-9 and 4e-16), for softmax regression
 * and relu, tanh and sigmoid MLPs in both precisions, with a view cut into several chunks; batch-norm models keep
 * the plain walk exactly.
 */
public class WalkBlendTest {
  @TempDir
  static Path tmp;
  static ImageSet train;
  static ImageSet test;

  @BeforeAll
  static void data() throws Exception {
    Nd4jSetup.init();
    FashionMnist d = FashionMnist.load(TestData.writeIdx(tmp.resolve("d"), 6200, 10, 6, 6, 21));
    train = d.train();
    test = d.test();
  }

  static Dl4jObjective objective(String json, DataType dt) throws Exception {
    ModelSpec m = ModelZooTest.model(json);
    Network net = ModelZoo.build(m, dt, 4, InputShape.flat(1, 6, 6), 10);
    return new Dl4jObjective(net, null, train, test, GroupGradientsTest.range(6200));
  }

  /** a step of SGD size away from θ: a seeded direction of norm 2 */
  static double[] next(double[] theta, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] d = new double[theta.length];
    double n = 0;
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextGaussian();
      n += d[i] * d[i];
    }
    double[] out = theta.clone();
    for (int i = 0; i < d.length; i++) out[i] += 2 * d[i] / Math.sqrt(n);
    return out;
  }

  static double[] plainWalk(Dl4jObjective f, DataView v, double[] theta, double[] next, double[] alphas) {
    double[] point = new double[theta.length];
    double[] losses = new double[alphas.length];
    for (int i = 0; i < alphas.length; i++) {
      WalkMath.interpolate(theta, next, alphas[i], point);
      losses[i] = f.loss(v, point);
    }
    return losses;
  }

  @Test
  public void blendedWalkIsThePlainWalkUpToRounding() throws Exception {
    double[] alphas = WalkMath.alphaGrid(10);
    for (String json : new String[] { "{\"type\":\"softmax\"}", "{\"type\":\"mlp\",\"hidden\":[30,20]}",
        "{\"type\":\"mlp\",\"hidden\":[25],\"activation\":\"tanh\"}",
        "{\"type\":\"mlp\",\"hidden\":[25,15],\"activation\":\"sigmoid\"}" }) {
      for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
        Dl4jObjective f = objective(json, dt);
        assertTrue(f.lossesAlongMethod().startsWith("first-layer pre-activations blended"), f.lossesAlongMethod());
        DataView v = f.view("train-eval"); // 6,200 examples: chunks of 5,000 and 1,200
        double[] theta = ModelZoo.build(ModelZooTest.model(json), dt, 4, InputShape.flat(1, 6, 6), 10).params().toDoubleVector();
        double[] next = next(theta, 9);
        double[] plain = plainWalk(f, v, theta, next, alphas);
        double[] blended = f.lossesAlong(v, theta, next, alphas);
        String what = json + " " + dt;
        assertEquals(plain[0], blended[0], 0.0, what + " at alpha 0");
        assertEquals(plain[alphas.length - 1], blended[alphas.length - 1], 0.0, what + " at alpha 1");
        double tol = dt == DataType.FLOAT ? 1e-7 : 1e-14;
        double max = 0;
        for (int i = 0; i < alphas.length; i++) {
          max = Math.max(max, Math.abs(plain[i] - blended[i]) / plain[i]);
          assertEquals(plain[i], blended[i], tol * plain[i], what + " at alpha " + alphas[i]);
        }
        // the line is not flat: the tolerance is far below the losses' spread along it
        assertTrue(Math.abs(plain[0] - plain[alphas.length - 1]) > 100 * tol * plain[0], what + ": the ends differ");
        System.out.println("[walk-blend] " + what + ": largest relative difference " + max);
      }
    }
  }

  /**
   * A run's walks share their ends: the walk from θ_b starts where the one to θ_b ended, and reuses the first layer's
   * pre-activations there. Its losses are those of a fresh objective to the last bit; a walk from another point, or
   * on another view, forms them anew.
   */
  @Test
  public void consecutiveWalksGiveTheFreshWalksNumbers() throws Exception {
    double[] alphas = WalkMath.alphaGrid(10);
    String json = "{\"type\":\"mlp\",\"hidden\":[30,20]}";
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      double[] a = ModelZoo.build(ModelZooTest.model(json), dt, 4, InputShape.flat(1, 6, 6), 10).params().toDoubleVector();
      double[] b = next(a, 9);
      double[] c = next(b, 10);
      double[] d = next(c, 11);
      Dl4jObjective walker = objective(json, dt);
      DataView v = walker.view("train-eval");
      DataView t = walker.view("test");
      walker.lossesAlong(v, a, b, alphas);
      double[] bc = walker.lossesAlong(v, b, c, alphas); // starts where the last walk ended
      double[] testBc = walker.lossesAlong(t, b, c, alphas); // another view: formed anew
      double[] cd = walker.lossesAlong(v, c, d, alphas); // the last walk ended at c on another view
      double[] bd = walker.lossesAlong(v, b, d, alphas); // starts elsewhere than the last walk ended
      assertArrayEquals(freshWalk(json, dt, "train-eval", b, c, alphas), bc, 0.0, dt + " b to c");
      assertArrayEquals(freshWalk(json, dt, "test", b, c, alphas), testBc, 0.0, dt + " b to c on test");
      assertArrayEquals(freshWalk(json, dt, "train-eval", c, d, alphas), cd, 0.0, dt + " c to d");
      assertArrayEquals(freshWalk(json, dt, "train-eval", b, d, alphas), bd, 0.0, dt + " b to d");
      // and the numbers are the plain walk's up to rounding, not a stale line's
      Dl4jObjective fresh = objective(json, dt);
      double[] plain = plainWalk(fresh, fresh.view("train-eval"), b, d, alphas);
      for (int i = 0; i < alphas.length; i++) assertEquals(plain[i], bd[i], (dt == DataType.FLOAT ? 1e-7 : 1e-14) * plain[i]);
    }
  }

  /** the walk from theta0 to theta1 on a view of a new objective (nothing kept from earlier walks) */
  private static double[] freshWalk(String json, DataType dt, String view, double[] theta0, double[] theta1,
      double[] alphas) throws Exception {
    Dl4jObjective f = objective(json, dt);
    return f.lossesAlong(f.view(view), theta0, theta1, alphas);
  }

  @Test
  public void batchNormModelsKeepThePlainWalk() throws Exception {
    ModelSpec m = ModelZooTest.model("{\"type\":\"mlp\",\"hidden\":[20],\"batchNorm\":true}");
    Network net = ModelZoo.build(m, DataType.FLOAT, 4, InputShape.flat(1, 6, 6), 10);
    Dl4jObjective f = new Dl4jObjective(net, null, train, test, GroupGradientsTest.range(400));
    assertEquals("each point's loss", f.lossesAlongMethod());
    DataView v = f.view("train-eval");
    double[] theta = net.params().toDoubleVector();
    double[] next = next(theta, 3);
    double[] alphas = WalkMath.alphaGrid(4);
    org.junit.jupiter.api.Assertions.assertArrayEquals(plainWalk(f, v, theta, next, alphas), f.lossesAlong(v, theta, next, alphas), 0.0);
  }
}
