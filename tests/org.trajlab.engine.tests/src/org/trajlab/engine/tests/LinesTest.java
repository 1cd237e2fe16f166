package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.ParameterBlock;
import org.trajlab.api.objective.WeightMatrix;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.LineRequest;
import org.trajlab.api.run.LineResult;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.engine.Batches;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.optim.Npy;

/**
 * Lines between runs (paper 002, INSTRUMENTS.md §3) through the runner's service: a run with itself is flat at its
 * recorded loss; between two runs the ends are each run's recorded eval loss; with batch normalisation the running
 * statistics are recomputed at every α (the exact mean of the batch statistics, checked by hand), so α = 0 is the
 * loss with recomputed statistics and not the recorded one.
 */
public class LinesTest {
  static final String MLP = "{\"type\":\"mlp\",\"hidden\":[12,8]}";
  static final String BN_MLP = "{\"type\":\"mlp\",\"hidden\":[12,8],\"batchNorm\":true}";
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;
  static Path grey;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
    grey = TestData.writeIdx(tmp.resolve("grey"), 400, 60, 8, 8, 21);
  }

  static RunSpec spec(String model, double lr, long seed) throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"line\",\"seed\":" + seed + ",\"precision\":\"double\",\"model\":" + model
        + ",\"data\":{\"dataset\":\"mnist\",\"trainEvalSize\":230},\"optimizer\":{\"type\":\"sgd\",\"lr\":" + lr + "},"
        + "\"training\":{\"steps\":24,\"batchSize\":40},\"eval\":{\"every\":12},\"checkpoints\":{\"every\":12}}");
    s.data.dir = grey.toString();
    return s;
  }

  static RunFolder run(RunSpec s, String name) throws Exception {
    RunFolder f = RunFolder.create(tmp.resolve(name));
    RunOutcome o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), name + ": " + o.message());
    return f;
  }

  static double recorded(RunFolder f, String quantity, long step) throws Exception {
    return TestData.rows(f, "eval", quantity).stream().filter(r -> r.step() == step).findFirst().orElseThrow().value();
  }

  static int at(double[] alphas, double a) {
    for (int i = 0; i < alphas.length; i++) if (alphas[i] == a) return i;
    throw new AssertionError("alpha " + a + " is not on the grid");
  }

  @Test
  public void aRunWithItselfIsFlatAtItsRecordedLoss() throws Exception {
    RunFolder f = run(spec(MLP, 0.1, 3), "self");
    LineResult r = runner.line(LineRequest.of(f.dir(), f.dir(), tmp.resolve("self-line")));
    assertEquals(31, r.alphas().length);
    assertEquals(-1.0, r.alphas()[0]);
    assertEquals(2.0, r.alphas()[30]);
    assertEquals(0.0, r.alphas()[10]);
    assertEquals(1.0, r.alphas()[20]);
    double train = recorded(f, "loss_train_eval", 24);
    double test = recorded(f, "loss_test", 24);
    double accTest = recorded(f, "acc_test", 24);
    for (int i = 0; i < r.alphas().length; i++) {
      assertEquals(train, r.loss().get("train-eval")[i], 1e-12 * train, "alpha " + r.alphas()[i]);
      assertEquals(test, r.loss().get("test")[i], 1e-12 * test, "alpha " + r.alphas()[i]);
      assertEquals(accTest, r.accuracy().get("test")[i], 1e-12, "alpha " + r.alphas()[i]);
    }
    // the folder: a tidy table pandas reads and a summary naming both ends
    List<String> lines = Files.readAllLines(r.dir().resolve("lines.csv"));
    assertEquals("alpha,set,quantity,value", lines.get(0));
    assertEquals(1 + 31 * 2 * 2, lines.size());
    assertEquals("-1.0,train-eval,loss," + r.loss().get("train-eval")[0], lines.get(1));
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = Specs.readJson(r.dir().resolve("summary.json"), Map.class);
    assertEquals("self@step-00000024", ((Map<?, ?>) summary.get("a")).get("id"));
    assertEquals(24, ((Map<?, ?>) summary.get("b")).get("step"));
    assertEquals(31, summary.get("points"));
  }

  @Test
  public void betweenTwoRunsTheEndsAreEachRunsRecordedLoss() throws Exception {
    RunFolder a = run(spec(MLP, 0.1, 5), "a");
    RunFolder b = run(spec(MLP, 0.4, 5), "b"); // same seed: the same train-eval subset
    LineResult r = runner.line(new LineRequest(a.dir(), b.dir(), tmp.resolve("ab-line"), 13, -0.5, 1.5,
        List.of("train-eval", "test"), "train-full"));
    double[] al = r.alphas();
    assertEquals(13, al.length, "0 and 1 lie on this grid of step 1/6");
    for (String[] q : new String[][] { { "train-eval", "loss_train_eval" }, { "test", "loss_test" } }) {
      double la = recorded(a, q[1], 24);
      double lb = recorded(b, q[1], 24);
      assertEquals(la, r.loss().get(q[0])[at(al, 0)], 1e-12 * la, q[0] + " at alpha 0");
      assertEquals(lb, r.loss().get(q[0])[at(al, 1)], 1e-12 * lb, q[0] + " at alpha 1");
      assertTrue(Math.abs(la - lb) > 1e-4, "the two runs differ");
    }
    // a checkpoint folder is an endpoint too: A's step 12 against itself is flat at its step-12 eval row
    Path ck = a.dir().resolve("checkpoints/step-00000012");
    LineResult mid = runner.line(new LineRequest(ck, ck, tmp.resolve("mid-line"), 4, 0, 1, List.of("test"), "train-full"));
    double l12 = recorded(a, "loss_test", 12);
    for (double l : mid.loss().get("test")) assertEquals(l12, l, 1e-12 * l12);
  }

  @Test
  public void badEndpointsAreOneSentence() throws Exception {
    RunFolder a = run(spec(MLP, 0.1, 7), "bad-a");
    RunFolder wide = run(spec("{\"type\":\"mlp\",\"hidden\":[20]}", 0.1, 7), "bad-wide");
    SpecException e = assertThrows(SpecException.class,
        () -> runner.line(LineRequest.of(a.dir(), wide.dir(), tmp.resolve("never"))));
    assertTrue(e.getMessage().startsWith("The runs bad-a@step-00000024 and bad-wide@step-00000024 are of different"
        + " models"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; a line between runs needs one model."), e.getMessage());
    e = assertThrows(SpecException.class,
        () -> runner.line(LineRequest.of(a.dir(), tmp.resolve("nothing-here"), tmp.resolve("never"))));
    assertEquals("The folder " + tmp.resolve("nothing-here") + " (B) is neither a trajlab run nor a checkpoint folder:"
        + " it does not exist.", e.getMessage());
    assertTrue(!Files.exists(tmp.resolve("never")), "nothing is written");
  }

  /**
   * The recomputed statistics of the first batch norm (after the first dense layer, which has no bias) are the mean
   * over the seeded batches of S of each batch's mean and population variance of x·W, computed here by hand.
   */
  @Test
  public void batchNormStatisticsAreTheMeanOfTheBatchStatistics() throws Exception {
    RunSpec s = spec(BN_MLP, 0.1, 9);
    RunFolder f = run(s, "bn");
    BatchNormProbesTest.AtCheckpoint c = BatchNormProbesTest.atCheckpoint(f.readSpec(), f, 24, DataType.DOUBLE);
    Dl4jObjective o = c.objective();
    double[] theta = Npy.read(f.file("checkpoints/step-00000024/params.npy"));
    DataView full = o.view("train-full");
    double[] rec = o.withRecomputedBatchNorm(theta, full);
    WeightMatrix w = o.weightMatrices().get(0);
    ParameterBlock mean = o.parameterBlocks().stream().filter(b -> b.name().endsWith("_mean")).findFirst().orElseThrow();
    ParameterBlock var = o.parameterBlocks().stream().filter(b -> b.name().endsWith("_var")).findFirst().orElseThrow();
    assertEquals(w.cols(), mean.length());
    int[][] batches = o.recomputeBatchPositions(full);
    assertEquals(10, batches.length, "400 training examples: 10 batches of 40");
    double[] meanSum = new double[w.cols()];
    double[] varSum = new double[w.cols()];
    for (int[] b : batches) {
      double[][] x = Batches.features(c.train(), b, 0, b.length, DataType.DOUBLE).toDoubleMatrix();
      for (int u = 0; u < w.cols(); u++) {
        double[] z = new double[b.length];
        for (int n = 0; n < b.length; n++) {
          for (int r = 0; r < w.rows(); r++) z[n] += x[n][r] * w.get(theta, r, u);
        }
        double m = 0;
        for (double v : z) m += v;
        m /= z.length;
        double v2 = 0;
        for (double v : z) v2 += (v - m) * (v - m);
        meanSum[u] += m;
        varSum[u] += v2 / z.length;
      }
    }
    double[] recMean = mean.of(rec);
    double[] recVar = var.of(rec);
    double[] oldMean = mean.of(theta);
    double moved = 0;
    for (int u = 0; u < w.cols(); u++) {
      double m = meanSum[u] / batches.length;
      double v = varSum[u] / batches.length;
      assertEquals(m, recMean[u], 1e-9 * (1 + Math.abs(m)), "mean of unit " + u);
      assertEquals(v, recVar[u], 1e-9 * (1 + Math.abs(v)), "variance of unit " + u);
      moved = Math.max(moved, Math.abs(m - oldMean[u]));
    }
    assertTrue(moved > 1e-6, "the recomputed means are not the running ones");
    // every parameter of the loss is unchanged
    boolean[] t = o.trainable();
    for (int i = 0; i < theta.length; i++) if (t[i]) assertEquals(theta[i], rec[i]);
    // a model without batch normalisation gets θ back
    RunFolder plain = run(spec(MLP, 0.1, 9), "plain-for-bn");
    BatchNormProbesTest.AtCheckpoint p = BatchNormProbesTest.atCheckpoint(plain.readSpec(), plain, 24, DataType.DOUBLE);
    double[] tp = Npy.read(plain.file("checkpoints/step-00000024/params.npy"));
    double[] same = p.objective().withRecomputedBatchNorm(tp, p.objective().view("train-full"));
    assertTrue(same != tp && java.util.Arrays.equals(same, tp));

    // the line's alpha = 0 point: the loss with recomputed statistics, not the recorded (running) one
    LineResult r = runner.line(new LineRequest(f.dir(), f.dir(), tmp.resolve("bn-line"), 3, 0, 1,
        List.of("train-eval"), "train-full"));
    double withRecomputed = o.evaluateInference(o.view("train-eval"), rec).loss();
    double running = recorded(f, "loss_train_eval", 24);
    assertEquals(withRecomputed, r.loss().get("train-eval")[0], 1e-12 * withRecomputed);
    assertTrue(Math.abs(withRecomputed - running) > 1e-6 * running,
        "recomputed " + withRecomputed + " and running " + running + " statistics give different losses");
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = Specs.readJson(r.dir().resolve("summary.json"), Map.class);
    Map<?, ?> bn = (Map<?, ?>) summary.get("batch_norm");
    assertEquals(true, bn.get("model_has_batch_norm"));
    assertEquals(10, bn.get("batches"));
  }
}
