package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.walk.WalkQuantities.DIST_FROM_INIT;
import static org.trajlab.probes.walk.WalkQuantities.HEIGHT_EPOCH_MEAN;
import static org.trajlab.probes.walk.WalkQuantities.WALK;
import static org.trajlab.probes.walk.WalkQuantities.WALKS_EPOCH;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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

/** Checkpoints, exact resume, restarts with a changed spec, and the update rules inside real runs. */
public class ResumeAndScheduleRunTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
  }

  /** 1,000 training examples, batch 100: 10 updates an epoch, so epochs end inside the runs */
  static RunSpec spec(long steps) throws Exception {
    return Specs.parse("{\"name\":\"ck\",\"data\":{\"trainSize\":1000,\"trainEvalSize\":500},"
        + "\"model\":{\"hidden\":[64]},"
        + "\"optimizer\":{\"type\":\"momentum\",\"lr\":0.05,\"momentum\":0.9,\"weightDecay\":0.0005,"
        + "\"lrSchedule\":{\"type\":\"cyclic\",\"unit\":\"step\",\"min\":0.01,\"max\":0.05,\"cycle\":16}},"
        + "\"training\":{\"steps\":" + steps + ",\"batchSize\":100},\"eval\":{\"every\":10,\"sets\":[\"train-eval\",\"test\"]},"
        + "\"checkpoints\":{\"every\":10},"
        + "\"probes\":[{\"type\":\"walk\",\"schedule\":{\"every\":3}}]}");
  }


  @Test
  public void aResumedRunWritesExactlyTheRowsOfAnUninterruptedOne() throws Exception {
    RunFolder whole = RunFolder.create(tmp.resolve("whole"));
    assertEquals(RunState.DONE, runner.run(spec(40), whole, RunMonitor.NONE).state());

    RunFolder broken = RunFolder.create(tmp.resolve("broken"));
    RunOutcome first = runner.run(spec(40), broken, new RunMonitor() {
      @Override
      public boolean isCancelled() {
        try {
          return TestData.rows(broken, "train", "loss_batch").size() >= 25;
        } catch (Exception e) {
          return true;
        }
      }
    });
    assertEquals(RunState.CANCELLED, first.state());
    assertEquals(25, first.steps());
    assertTrue(Files.isDirectory(broken.file("checkpoints/step-00000020")));
    RunOutcome rest = runner.resume(broken, RunMonitor.NONE);
    assertEquals(RunState.DONE, rest.state(), rest.message());
    assertEquals(40, rest.steps());

    List<String> a = Files.readAllLines(whole.file(RunFolder.METRICS));
    List<String> b = Files.readAllLines(broken.file(RunFolder.METRICS));
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      assertEquals(a.get(i), b.get(i), "first difference at line " + (i + 1));
    }
    assertEquals(a.size(), b.size());
    // the run's time survives the resume: the checkpoint keeps it, summary.json adds this process's to it
    double atCheckpoint = number(Specs.json().readValue(broken.file("checkpoints/step-00000020/state.json").toFile(), Map.class), "seconds");
    assertTrue(atCheckpoint > 0, "state.json keeps the run time: " + atCheckpoint);
    double seconds = number(broken.readSummary(), "seconds");
    assertTrue(seconds > atCheckpoint, "summary.json's seconds " + seconds + " include the " + atCheckpoint + " s before the interruption");
    assertEquals(40 / seconds, number(broken.readSummary(), "updates_per_second"), 1e-9);
    assertEquals(rest.summary().get("seconds"), seconds);
    // the rows cover what the spec asks: epochs end every 10 updates, the walk keeps its per-epoch numbers
    assertEquals(4, TestData.rows(whole, WALK, HEIGHT_EPOCH_MEAN).size());
    assertEquals(List.of(1, 2, 3, 4), TestData.rows(whole, WALK, WALKS_EPOCH).stream().map(MetricRow::epoch).toList());
    // the cyclic learning rate by update: 0.01 at 0, 0.05 at 8, 0.01 at 16
    List<MetricRow> lr = TestData.rows(whole, "train", "lr");
    assertEquals(0.01, lr.get(0).value(), 1e-15);
    assertEquals(0.05, lr.get(8).value(), 1e-15);
    assertEquals(0.01, lr.get(16).value(), 1e-15);
    // the checkpoint is readable with numpy: a .npy header
    byte[] npy = Files.readAllBytes(whole.file("checkpoints/step-00000040/params.npy"));
    assertEquals((byte) 0x93, npy[0]);
    assertEquals("NUMPY", new String(npy, 1, 5));
    // resuming a finished run is refused in one sentence
    SpecException e = assertThrows(SpecException.class, () -> runner.resume(whole, RunMonitor.NONE));
    assertTrue(e.getMessage().contains("has already finished"), e.getMessage());
  }

  static double number(Map<?, ?> json, String key) {
    return ((Number) json.get(key)).doubleValue();
  }

  @Test
  public void aNewRunFromACheckpointContinuesTheBatchSequenceAndMayChangeTheSpec() throws Exception {
    RunFolder a = RunFolder.create(tmp.resolve("a"));
    assertEquals(RunState.DONE, runner.run(spec(20), a, RunMonitor.NONE).state());
    RunSpec same = spec(20);
    same.start.checkpoint = a.file("checkpoints/step-00000010").toString();
    RunFolder b = RunFolder.create(tmp.resolve("b"));
    RunOutcome o = runner.run(same, b, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    List<MetricRow> la = TestData.rows(a, "train", "loss_batch");
    List<MetricRow> lb = TestData.rows(b, "train", "loss_batch");
    assertEquals(10, lb.size());
    assertEquals(10L, lb.get(0).step());
    for (int i = 0; i < 10; i++) {
      assertEquals(la.get(10 + i).value(), lb.get(i).value(), 0.0, "update " + (10 + i));
    }
    // the walk's distance is still measured from the original theta_0
    assertEquals(TestData.rows(a, WALK, DIST_FROM_INIT).get(4).value(), TestData.rows(b, WALK, DIST_FROM_INIT).get(0).value(), 0.0);

    RunSpec changed = spec(20);
    changed.start.checkpoint = same.start.checkpoint;
    changed.optimizer.type = "sgd";
    changed.optimizer.lrSchedule = null;
    changed.optimizer.lr = 0.2;
    RunFolder c = RunFolder.create(tmp.resolve("c"));
    assertEquals(RunState.DONE, runner.run(changed, c, RunMonitor.NONE).state());
    assertEquals(0.2, TestData.rows(c, "train", "lr").get(0).value(), 0.0);

    RunSpec other = spec(20);
    other.model.hidden = List.of(32);
    other.start.checkpoint = same.start.checkpoint;
    SpecException e = assertThrows(SpecException.class, () -> runner.check(other));
    assertTrue(e.getMessage().contains("a run can start only from a checkpoint of the same model"), e.getMessage());
  }

  @Test
  public void probeOnlyRuns() throws Exception {
    RunSpec s = spec(0);
    SpecException e = assertThrows(SpecException.class, () -> runner.check(s));
    assertEquals("Probe 'walk' (probes[0]) measures along updates, but this run has zero training steps; give"
        + " training.steps or training.epochs.", e.getMessage());
    s.probes.clear();
    RunFolder f = RunFolder.create(tmp.resolve("probe-only"));
    RunOutcome o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state());
    assertEquals(0, o.steps());
    assertEquals(List.of(0L), TestData.rows(f, "eval", "loss_test").stream().map(MetricRow::step).toList());
  }

  @Test
  public void fullBatchAndNoisyGradientDescent() throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"gd\",\"data\":{\"trainSize\":500,\"trainEvalSize\":500},\"model\":{\"hidden\":[32]},"
        + "\"optimizer\":{\"type\":\"gd\",\"lr\":0.05,\"gdChunk\":200},\"training\":{\"steps\":6,\"batchSize\":50},"
        + "\"eval\":{\"every\":1,\"sets\":[\"train-eval\"]}}");
    RunFolder f = RunFolder.create(tmp.resolve("gd"));
    assertEquals(RunState.DONE, runner.run(s, f, RunMonitor.NONE).state());
    List<MetricRow> loss = TestData.rows(f, "train", "loss_batch");
    List<MetricRow> full = TestData.rows(f, "eval", "loss_train_eval");
    for (int i = 0; i < 6; i++) {
      assertEquals(500.0, TestData.rows(f, "train", "batch_size").get(i).value());
      assertEquals(i + 1, loss.get(i).epoch(), "every full-batch update is an epoch");
      // the full-batch loss at theta_t is the train-eval loss (train-eval is the whole 500) at step t
      assertEquals(full.get(i).value(), loss.get(i).value(), 1e-5);
      assertTrue(full.get(i + 1).value() < full.get(i).value(), "small-step GD descends monotonically");
    }
    RunSpec noisy = Specs.copy(s);
    noisy.optimizer.type = "gd-noise";
    noisy.optimizer.noiseFactor = 0.1;
    RunFolder n1 = RunFolder.create(tmp.resolve("noise1"));
    RunFolder n2 = RunFolder.create(tmp.resolve("noise2"));
    RunOutcome o1 = runner.run(noisy, n1, RunMonitor.NONE);
    runner.run(noisy, n2, RunMonitor.NONE);
    double var = (double) o1.summary().get("noise_variance");
    assertTrue(var > 0 && Double.isFinite(var), "sigma^2 " + var);
    assertArrayEquals(Files.readAllBytes(n1.file(RunFolder.METRICS)), Files.readAllBytes(n2.file(RunFolder.METRICS)));
    assertTrue(TestData.rows(n1, "train", "grad_norm").get(0).value() > TestData.rows(f, "train", "grad_norm").get(0).value(),
        "the noise adds to the gradient's norm");
  }

  @Test
  public void mirroredBatchSizeFollowsTheCyclicCurve() throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"mirror\",\"data\":{\"trainSize\":1000,\"trainEvalSize\":200},\"model\":{\"hidden\":[16]},"
        + "\"optimizer\":{\"lr\":0.1},\"training\":{\"epochs\":3,\"batchSize\":50,\"batchSchedule\":{\"type\":\"mirror\","
        + "\"of\":{\"type\":\"two-level\",\"unit\":\"epoch\",\"min\":0.025,\"max\":0.1,\"cycle\":2}}},"
        + "\"eval\":{\"every\":1000,\"sets\":[\"train-eval\"]}}");
    RunFolder f = RunFolder.create(tmp.resolve("mirror"));
    RunOutcome o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    List<MetricRow> sizes = TestData.rows(f, "train", "batch_size");
    // epoch 1: eta 0.1 -> S 50 (20 updates); epoch 2: eta 0.025 -> S 200 (5 updates); epoch 3: S 50 (20 updates)
    assertEquals(45, sizes.size());
    assertEquals(50.0, sizes.get(0).value());
    assertEquals(200.0, sizes.get(20).value());
    assertEquals(2, sizes.get(20).epoch());
    assertEquals(50.0, sizes.get(25).value());
    assertEquals(3, sizes.get(25).epoch());
    List<MetricRow> noise = TestData.rows(f, "train", "noise_scale");
    assertEquals(0.1 / 200, noise.get(20).value(), 1e-18, "eta/S on the mirrored curve: 0.025/50 = 0.1/200");
  }
}
