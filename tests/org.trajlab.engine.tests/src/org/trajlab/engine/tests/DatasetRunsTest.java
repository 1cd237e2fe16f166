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

/** Whole runs over the data sets a user names: CIFAR-10 files, a held-out split, corrupted labels. */
public class DatasetRunsTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
  }


  @Test
  public void cifar10WithAHeldOutSplit() throws Exception {
    Path dir = TestData.writeCifar10(tmp.resolve("cifar"), 40, 30);
    RunSpec s = Specs.parse("{\"name\":\"cifar\",\"data\":{\"dataset\":\"cifar10\",\"heldOutSize\":50,\"trainEvalSize\":100},"
        + "\"model\":{\"hidden\":[16]},\"training\":{\"steps\":12,\"batchSize\":25},"
        + "\"eval\":{\"every\":6,\"sets\":[\"train-eval\",\"held-out\",\"test\"]}}");
    s.data.dir = dir.toString();
    RunFolder f = RunFolder.create(tmp.resolve("cifar-run"));
    RunOutcome o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    assertEquals(3, TestData.rows(f, "eval", "loss_held_out").size());
    assertEquals(3, TestData.rows(f, "eval", "acc_test").size());
    String env = Files.readString(f.file(RunFolder.ENVIRONMENT));
    assertTrue(env.contains("\"train_examples\" : 150") && env.contains("\"held_out_examples\" : 50"), env);
    assertTrue(env.contains("data_batch_1.bin"), env);
  }

  /** softmax regression trains with the fixtures' parameter count */
  @Test
  public void softmaxTrains() throws Exception {
    Path dir = TestData.writeIdx(tmp.resolve("sm"), 200, 50, 28, 28, 8);
    RunSpec s = Specs.parse("{\"name\":\"sm\",\"model\":{\"type\":\"softmax\"},\"data\":{\"trainEvalSize\":100},"
        + "\"training\":{\"steps\":10,\"batchSize\":20},\"eval\":{\"every\":10}}");
    s.data.dir = dir.toString();
    RunFolder f = RunFolder.create(tmp.resolve("sm-run"));
    RunOutcome o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    String env = Files.readString(f.file(RunFolder.SPEC));
    assertTrue(env.contains("\"softmax\""), env);
    // W [784, 10] and b [10]: the parameters of softmax regression, as the fixtures count them
    assertEquals(7850, org.trajlab.engine.optim.Npy.read(f.file("checkpoints/step-00000010/params.npy")).length);
  }

  @Test
  public void corruptedLabelsAreReportedOnTheCleanAndTheCorruptedPart() throws Exception {
    Path dir = TestData.writeIdx(tmp.resolve("idx"), 400, 100, 28, 28, 7);
    RunSpec s = Specs.parse("{\"name\":\"noise\",\"data\":{\"labelNoise\":0.25,\"trainEvalSize\":100},"
        + "\"model\":{\"hidden\":[16]},\"training\":{\"steps\":8,\"batchSize\":40},\"eval\":{\"every\":4}}");
    s.data.dir = dir.toString();
    RunFolder f = RunFolder.create(tmp.resolve("noise-run"));
    assertEquals(RunState.DONE, runner.run(s, f, RunMonitor.NONE).state());
    List<String> table = Files.readAllLines(f.file("corrupted_labels.csv"));
    assertEquals(101, table.size(), "a header and 100 corrupted examples (25% of 400)");
    assertEquals(3, TestData.rows(f, "eval", "acc_train_clean").size());
    assertEquals(3, TestData.rows(f, "eval", "acc_train_noisy").size());
  }
}
