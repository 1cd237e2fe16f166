package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.engine.Batches;
import org.trajlab.engine.data.Datasets;
import org.trajlab.engine.data.LoadedData;
import org.trajlab.engine.optim.Npy;

/**
 * The synthetic quadratic (INSTRUMENTS.md §4) as a model and data pair through the whole engine: each update is
 * θ ← θ − η A(θ − x̄_B) on the run's own batches (checked by hand), the loss falls to the noise floor, and the
 * pair is refused when only one half is given.
 */
public class QuadraticRunTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
  }

  static RunSpec spec(long steps) throws Exception {
    return Specs.parse("{\"name\":\"quad\",\"precision\":\"double\",\"model\":{\"type\":\"quadratic\",\"init\":\"normal\"},"
        + "\"data\":{\"dataset\":\"quadratic\",\"quadratic\":{\"dim\":6,\"fast\":1.0,\"slow\":0.05,\"fastCount\":2,"
        + "\"sigma\":0.5,\"samples\":400,\"testSamples\":100},\"trainEvalSize\":400},"
        + "\"optimizer\":{\"type\":\"sgd\",\"lr\":0.5},\"training\":{\"steps\":" + steps + ",\"batchSize\":10},"
        + "\"eval\":{\"every\":" + Math.max(1, steps) + ",\"sets\":[\"train-eval\",\"test\"]},\"checkpoints\":{\"every\":1}}");
  }

  @Test
  public void eachUpdateIsTheClosedFormStepOnTheRunsBatch() throws Exception {
    RunFolder f = RunFolder.create(tmp.resolve("one"));
    RunOutcome o = runner.run(spec(3), f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    RunSpec s = spec(3);
    LoadedData data = Datasets.load(s.data, s.seed);
    double[] a = data.quadratic().model().eigenvalues();
    double[] x = data.quadratic().train().x();
    int d = a.length;
    int[] order = Batches.epochOrder(s.seed, 1, 400);
    double[] theta = Npy.read(f.file("checkpoints/step-00000001/theta0.npy"));
    for (int t = 0; t < 3; t++) {
      double[] next = theta.clone();
      for (int j = 0; j < d; j++) {
        double mean = 0;
        for (int i = t * 10; i < t * 10 + 10; i++) mean += (float) x[order[i] * d + j]; // samples are stored as FLOAT
        next[j] = theta[j] - 0.5 * a[j] * (theta[j] - mean / 10);
      }
      double[] got = Npy.read(f.file(String.format("checkpoints/step-%08d/params.npy", t + 1)));
      for (int j = 0; j < d; j++) assertEquals(next[j], got[j], 1e-12, "update " + t + ", coordinate " + j);
      theta = next;
    }
    assertTrue(TestData.rows(f, "eval", "acc_test").isEmpty(), "no classes, no accuracy rows");
  }

  @Test
  public void sgdFallsToTheNoiseFloorOfTheQuadratic() throws Exception {
    RunSpec s = spec(200);
    s.checkpoints.every = null;
    RunFolder f = RunFolder.create(tmp.resolve("long"));
    assertEquals(RunState.DONE, runner.run(s, f, RunMonitor.NONE).state());
    List<MetricRow> loss = TestData.rows(f, "eval", "loss_train_eval");
    // floor: L(θ*) = ½ Σ a_j var_j(x) ≈ ½ (2·1 + 4·0.05)·0.25 = 0.275 at the sample mean; SGD hovers just above it
    assertTrue(loss.get(0).value() > 0.6, "theta_0 ~ N(0, I) starts high: " + loss);
    assertEquals(0.275, loss.get(1).value(), 0.1, "after 200 updates near the floor: " + loss);
  }

  @Test
  public void theModelAndDataComeAsAPair() throws Exception {
    RunSpec s = spec(1);
    s.model.type = "mlp";
    SpecException e = assertThrows(SpecException.class, () -> runner.check(s));
    assertEquals("The synthetic quadratic data set (data.dataset 'quadratic') is a model and data pair: set model.type"
        + " to 'quadratic'.", e.getMessage());
    RunSpec t = Specs.parse("{\"model\":{\"type\":\"quadratic\",\"init\":\"normal\"}}");
    e = assertThrows(SpecException.class, () -> runner.check(t));
    assertEquals("Field 'model.type' is 'quadratic', which needs the synthetic quadratic data (data.dataset 'quadratic'),"
        + " but the data set is 'fashion-mnist'.", e.getMessage());
  }
}
