package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;

/**
 * Every model family of the zoo through the whole engine (spec, runner, trainer, objective, run folder): runs
 * train, batch normalisation's running statistics move with the batches, and a
 * batch-normalised run resumes bit-identically (its statistics live in the checkpoint).
 */
public class ZooRunsTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;
  static Path grey;
  static Path cifar;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
    grey = TestData.writeIdx(tmp.resolve("grey"), 240, 40, 8, 8, 3);
    cifar = TestData.writeCifar10(tmp.resolve("cifar"), 24, 20);
  }

  static RunSpec spec(String model, Path data, String dataset, long steps) throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"zoo\",\"precision\":\"float\",\"model\":" + model + ",\"data\":{\"dataset\":\"" + dataset
        + "\",\"trainEvalSize\":60},\"optimizer\":{\"type\":\"momentum\",\"lr\":0.02,\"momentum\":0.9,\"weightDecay\":0.0005},"
        + "\"training\":{\"steps\":" + steps + ",\"batchSize\":20},\"eval\":{\"every\":" + steps + ",\"sets\":[\"train-eval\"]},"
        + "\"checkpoints\":{\"every\":4}}");
    s.data.dir = data.toString();
    return s;
  }

  static RunOutcome run(RunSpec s, String name) throws Exception {
    RunFolder f = RunFolder.create(tmp.resolve(name));
    RunOutcome o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), name + ": " + o.message());
    List<MetricRow> loss = TestData.rows(f, "eval", "loss_train_eval");
    assertEquals(2, loss.size(), name);
    assertTrue(Double.isFinite(loss.get(1).value()), name + ": finite loss " + loss);
    for (MetricRow r : TestData.rows(f, "train", "loss_batch")) assertTrue(Double.isFinite(r.value()), name + " " + r);
    return o;
  }

  @Test
  public void convolutionalAndResidualModelsTrainThroughTheEngine() throws Exception {
    run(spec("{\"type\":\"simplecnn\",\"init\":\"relu\"}", grey, "mnist", 8), "simplecnn");
    run(spec("{\"type\":\"simplecnn\",\"batchNorm\":true,\"init\":\"relu\"}", grey, "mnist", 8), "simplecnn-bn");
    run(spec("{\"type\":\"resnet\",\"depth\":32,\"batchNorm\":false}", grey, "mnist", 4), "resnet32-nobn");
    run(spec("{\"type\":\"vgg11\",\"batchNorm\":true,\"init\":\"relu\"}", cifar, "cifar10", 4), "vgg11-bn");
    run(spec("{\"type\":\"mlp\",\"preset\":\"bn4\"}", grey, "mnist", 8), "mlp-bn4");
  }

  /** the MLP of paper 002 with batch norm: a lower loss, moving statistics, exact resume */
  @Test
  public void batchNormRunsLearnMoveTheirStatisticsAndResumeExactly() throws Exception {
    String model = "{\"type\":\"mlp\",\"hidden\":[32,32],\"batchNorm\":true}";
    RunSpec s = spec(model, grey, "mnist", 24);
    s.eval.every = 12;
    RunFolder whole = RunFolder.create(tmp.resolve("bn-whole"));
    assertEquals(RunState.DONE, runner.run(s, whole, RunMonitor.NONE).state());
    List<MetricRow> loss = TestData.rows(whole, "eval", "loss_train_eval");
    assertTrue(loss.get(2).value() < loss.get(0).value(), "training lowers the loss: " + loss);
    double[] p0 = org.trajlab.engine.optim.Npy.read(whole.file("checkpoints/step-00000004/theta0.npy"));
    double[] p24 = org.trajlab.engine.optim.Npy.read(whole.file("checkpoints/step-00000024/params.npy"));
    double[] mask = ModelBatches.build(ModelZooTest.model(model), org.nd4j.linalg.api.buffer.DataType.FLOAT, 0,
        org.trajlab.engine.models.InputShape.flat(1, 8, 8), 10).trainableMask().toDoubleVector();
    assertEquals(p0.length, mask.length);
    int statistics = 0;
    int moved = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i] == 0) {
        statistics++;
        if (p0[i] != p24[i]) moved++;
      }
    }
    assertEquals(2 * (32 + 32), statistics);
    assertTrue(moved > statistics * 0.9, "the running statistics follow the batches: " + moved + " of " + statistics);

    RunFolder broken = RunFolder.create(tmp.resolve("bn-broken"));
    RunOutcome first = runner.run(s, broken, new RunMonitor() {
      @Override
      public boolean isCancelled() {
        try {
          return TestData.rows(broken, "train", "loss_batch").size() >= 10;
        } catch (Exception e) {
          return true;
        }
      }
    });
    assertEquals(RunState.CANCELLED, first.state());
    assertEquals(RunState.DONE, runner.resume(broken, RunMonitor.NONE).state());
    // the same spec as 'whole' except eval.every: compare the rows both have (train rows of every update)
    List<MetricRow> a = TestData.rows(whole, "train", "loss_batch");
    List<MetricRow> b = TestData.rows(broken, "train", "loss_batch");
    assertEquals(a, b);
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(whole.file("checkpoints/step-00000024/params.npy")),
        Files.readAllBytes(broken.file("checkpoints/step-00000024/params.npy"))), "bit-identical parameters and statistics");
  }
}
