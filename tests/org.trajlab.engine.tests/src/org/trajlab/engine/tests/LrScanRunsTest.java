package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.lrscan.LrScanQuantities.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.engine.Batches;
import org.trajlab.engine.data.Datasets;
import org.trajlab.engine.data.LoadedData;
import org.trajlab.engine.optim.Npy;
import org.trajlab.probes.lrscan.internal.LrScanMath;

/**
 * The paper-003 probes through the engine: the single-step scan on the synthetic quadratic (model.type quadratic)
 * against its closed form, and the side trip and the scan leaving the trajectory untouched.
 */
public class LrScanRunsTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
  }

  static RunSpec quadratic(long steps, String probes) throws Exception {
    return Specs.parse("{\"name\":\"quad\",\"precision\":\"double\",\"model\":{\"type\":\"quadratic\",\"init\":\"normal\"},"
        + "\"data\":{\"dataset\":\"quadratic\",\"quadratic\":{\"dim\":6,\"fast\":1.0,\"slow\":0.05,\"fastCount\":2,"
        + "\"sigma\":0.5,\"samples\":400,\"testSamples\":100},\"trainEvalSize\":400},"
        + "\"optimizer\":{\"type\":\"sgd\",\"lr\":0.5},\"training\":{\"steps\":" + steps + ",\"batchSize\":10},"
        + "\"eval\":{\"every\":5,\"sets\":[\"train-eval\",\"test\"]},\"checkpoints\":{\"every\":1},\"probes\":" + probes + "}");
  }

  /** ½ mean over the set S of (θ − x_i)ᵀA(θ − x_i), samples rounded to FLOAT as the run stores them */
  static double meanLoss(double[] a, double[] x, int[] set, double[] theta) {
    int d = a.length;
    double s = 0;
    for (int i : set) {
      for (int j = 0; j < d; j++) {
        double r = theta[j] - (float) x[i * d + j];
        s += 0.5 * a[j] * r * r;
      }
    }
    return s / set.length;
  }

  static double[] mean(double[] x, int[] set, int d) {
    double[] m = new double[d];
    for (int i : set) for (int j = 0; j < d; j++) m[j] += (float) x[i * d + j];
    for (int j = 0; j < d; j++) m[j] /= set.length;
    return m;
  }

  /**
   * Along −g_B, g_B = A(θ − x̄_B), each set's loss is a parabola in λ minimised at λ*_S = gᵀA(θ − x̄_S) / gᵀAg: every
   * recorded point is the closed form, and each curve's recorded minimum is the grid point nearest its λ*_S.
   */
  @Test
  public void theScanOnTheQuadraticIsItsClosedForm() throws Exception {
    RunSpec s = quadratic(3, "[{\"type\":\"lrscan\",\"schedule\":{\"steps\":[1]},"
        + "\"params\":{\"grid\":\"linear\",\"points\":401,\"lambdaMax\":4}}]");
    RunFolder f = RunFolder.create(tmp.resolve("quad-scan"));
    assertEquals(RunState.DONE, runner.run(s, f, RunMonitor.NONE).state());
    LoadedData data = Datasets.load(s.data, s.seed);
    double[] a = data.quadratic().model().eigenvalues();
    double[] x = data.quadratic().train().x();
    int d = a.length;
    int[] order = Batches.epochOrder(s.seed, 1, 400);
    int[] b = java.util.Arrays.copyOfRange(order, 10, 20); // update 1's batch
    int[] bPrime = LrScanMath.heldOutBatch(s.seed, 1, 400, 10, b);
    int[] e = Batches.trainEval(s.seed, 400, 400, true);
    double[] theta = Npy.read(f.file("checkpoints/step-00000001/params.npy"));
    double[] xb = mean(x, b, d);
    double[] g = new double[d];
    for (int j = 0; j < d; j++) g[j] = a[j] * (theta[j] - xb[j]);
    double gAg = 0;
    for (int j = 0; j < d; j++) gAg += g[j] * a[j] * g[j];
    Object[][] curves = { { LOSS_TRAIN_BATCH, LAMBDA_TRAIN_BATCH_MIN, b }, { LOSS_HELDOUT_BATCH, LAMBDA_HELDOUT_BATCH_MIN, bPrime },
        { LOSS_TRAIN_EVAL, LAMBDA_TRAIN_EVAL_MIN, e } };
    double[] stars = new double[3];
    for (int c = 0; c < 3; c++) {
      int[] set = (int[]) curves[c][2];
      List<MetricRow> rows = TestData.rows(f, LRSCAN, (String) curves[c][0]);
      assertEquals(401, rows.size());
      for (MetricRow r : rows) {
        assertEquals(1, r.step());
        double expected = meanLoss(a, x, set, LrScanMath.stepAlong(theta, r.index(), g));
        assertEquals(expected, r.value(), 1e-12 * Math.abs(expected), curves[c][0] + " at " + r.index());
      }
      double[] xs = mean(x, set, d);
      double gAr = 0;
      for (int j = 0; j < d; j++) gAr += g[j] * a[j] * (theta[j] - xs[j]);
      stars[c] = gAr / gAg;
      double recorded = TestData.rows(f, LRSCAN, (String) curves[c][1]).get(0).value();
      assertEquals(stars[c], recorded, 0.005 + 1e-12, curves[c][1] + ": the grid point nearest λ* (step 0.01)");
    }
    assertTrue(Math.abs(stars[0] - stars[1]) > 0.02, "B and B' prefer different steps: " + stars[0] + ", " + stars[1]);
  }

  /** neither probe changes the trajectory: every train and eval row is the same with and without them (BN MLP) */
  @Test
  public void sideTripsAndScansLeaveTheTrajectoryAlone() throws Exception {
    Path grey = TestData.writeIdx(tmp.resolve("grey"), 300, 60, 8, 8, 5);
    String base = "{\"name\":\"trip\",\"seed\":2,\"model\":{\"type\":\"mlp\",\"hidden\":[12,8],\"batchNorm\":true},"
        + "\"data\":{\"dataset\":\"mnist\",\"dir\":\"" + grey + "\",\"trainEvalSize\":200},\"optimizer\":{\"type\":\"sgd\",\"lr\":0.1},"
        + "\"training\":{\"steps\":20,\"batchSize\":25},\"eval\":{\"every\":5}";
    RunFolder plain = RunFolder.create(tmp.resolve("plain"));
    assertEquals(RunState.DONE, runner.run(Specs.parse(base + "}"), plain, RunMonitor.NONE).state());
    RunFolder probed = RunFolder.create(tmp.resolve("probed"));
    RunSpec withProbes = Specs.parse(base + ",\"probes\":[{\"type\":\"sidetrip\",\"schedule\":{\"every\":5},"
        + "\"params\":{\"steps\":3,\"points\":2}},{\"type\":\"lrscan\",\"schedule\":{\"every\":7},\"params\":{\"points\":5}}]}");
    assertEquals(RunState.DONE, runner.run(withProbes, probed, RunMonitor.NONE).state());
    List<String> a = trajectoryLines(plain);
    List<String> b = trajectoryLines(probed);
    assertTrue(a.size() >= 20 * 5, "20 updates of 5 train rows and the eval rows: " + a.size());
    assertEquals(a, b);
    // the probes wrote their rows: trips at 0, 5, 10, 15; lines between endpoints from the second on
    assertEquals(4, TestData.rows(probed, SIDETRIP, TRIP_END_LOSS_TRAIN_EVAL).size());
    assertEquals(3 * 4, TestData.rows(probed, SIDETRIP, TRIP_INTERP_LOSS_TRAIN_EVAL).size());
    assertEquals(4 * 4, TestData.rows(probed, SIDETRIP, TRIP_LOSS_TRAIN_BATCH).size());
    assertEquals(1.0, TestData.rows(probed, SIDETRIP, COS_FIXED_BATCH_GRAD).get(0).value(), 1e-12);
    assertEquals(3 * 5, TestData.rows(probed, LRSCAN, LOSS_HELDOUT_BATCH).size());
  }

  static List<String> trajectoryLines(RunFolder f) throws Exception {
    return Files.readAllLines(f.file(RunFolder.METRICS)).stream()
        .filter(l -> l.contains(",train,") || l.contains(",eval,")).toList();
  }
}
