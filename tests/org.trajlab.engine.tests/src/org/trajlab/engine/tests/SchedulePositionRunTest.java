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
import org.trajlab.engine.optim.RateSchedule;

/**
 * Schedules counted in epochs read the position epoch + batch index / batches per epoch, so a change "at epoch k"
 * happens at the first update of epoch k + 1 even when N is not a multiple of S (examples seen / N falls behind by
 * the dropped partial batch every epoch); the plateau schedule watches validation accuracy, as paper 001 does.
 */
public class SchedulePositionRunTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;
  static Path grey;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
    grey = TestData.writeIdx(tmp.resolve("grey"), 250, 50, 6, 6, 8);
  }

  static RunFolder run(RunSpec s, String name) throws Exception {
    s.data.dir = grey.toString();
    RunFolder f = RunFolder.create(tmp.resolve(name));
    RunOutcome o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    return f;
  }

  static double[] lrs(RunFolder f) throws Exception {
    return TestData.rows(f, "train", "lr").stream().mapToDouble(MetricRow::value).toArray();
  }

  /** N = 250, S = 100: 2 updates an epoch, 50 examples dropped each epoch; a decay at epoch 3 fires at update 6 */
  @Test
  public void stepDecayAtAnEpochFiresAtThatEpochsBoundary() throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"pos\",\"data\":{\"dataset\":\"mnist\",\"trainEvalSize\":100},\"model\":{\"hidden\":[8]},"
        + "\"optimizer\":{\"lr\":0.1,\"lrSchedule\":{\"type\":\"step\",\"milestones\":[3],\"factor\":0.1}},"
        + "\"training\":{\"epochs\":5,\"batchSize\":100},\"eval\":{\"every\":100,\"sets\":[\"train-eval\"]}}");
    RunFolder f = run(s, "step");
    double[] lr = lrs(f);
    assertEquals(10, lr.length);
    List<MetricRow> rows = TestData.rows(f, "train", "lr");
    for (int t = 0; t < 10; t++) {
      assertEquals(t < 6 ? 0.1 : 0.1 * 0.1, lr[t], 1e-15, "update " + t + " (epoch " + rows.get(t).epoch() + ")");
      assertEquals(t / 2 + 1, rows.get(t).epoch());
    }
    // examples seen / N would have put update 6 at 600/250 = 2.4 epochs and fired at update 8
  }

  /** a triangle of 2 epochs reads 0, 0.5, 1, 1.5 ... at the updates of batch 0 and 1 of each epoch */
  @Test
  public void cyclicScheduleReadsTheBatchFractionOfTheEpoch() throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"cyc\",\"data\":{\"dataset\":\"mnist\",\"trainEvalSize\":100},\"model\":{\"hidden\":[8]},"
        + "\"optimizer\":{\"lr\":0.1,\"lrSchedule\":{\"type\":\"cyclic\",\"min\":0.02,\"max\":0.1,\"cycle\":2}},"
        + "\"training\":{\"epochs\":4,\"batchSize\":100},\"eval\":{\"every\":100,\"sets\":[\"train-eval\"]}}");
    double[] lr = lrs(run(s, "cyclic"));
    for (int t = 0; t < 8; t++) {
      double x = RateSchedule.epochPosition(t / 2 + 1, t % 2, 2);
      assertEquals(t * 0.5, x, 0.0);
      assertEquals(RateSchedule.triangle(0.02, 0.1, 2, x), lr[t], 1e-15, "update " + t);
    }
  }

  /** a trapezoid over a run given in steps: its length defaults to steps / batches per epoch (here 8 / 2 = 4 epochs) */
  @Test
  public void trapezoidLengthFromStepsCountsBatchesPerEpoch() throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"trap\",\"data\":{\"dataset\":\"mnist\",\"trainEvalSize\":100},\"model\":{\"hidden\":[8]},"
        + "\"optimizer\":{\"lr\":0.1,\"lrSchedule\":{\"type\":\"trapezoid\",\"warmup\":1,\"flat\":2}},"
        + "\"training\":{\"steps\":8,\"batchSize\":100},\"eval\":{\"every\":100,\"sets\":[\"train-eval\"]}}");
    double[] lr = lrs(run(s, "trapezoid"));
    for (int t = 0; t < 8; t++) {
      double x = t * 0.5;
      assertEquals(RateSchedule.trapezoid(0, 0.1, 0, 1, 2, 4, x), lr[t], 1e-15, "update " + t);
    }
  }

  /**
   * The plateau schedule watches validation accuracy by default (paper 001): with a learning rate too small to
   * change the predictions, the accuracy stays flat and the rate decays after {@code patience} evaluations.
   */
  @Test
  public void plateauWatchesValidationAccuracy() throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"plateau\",\"data\":{\"dataset\":\"mnist\",\"trainEvalSize\":100},\"model\":{\"hidden\":[8]},"
        + "\"optimizer\":{\"lr\":1e-9,\"lrSchedule\":{\"type\":\"plateau\",\"patience\":2,\"factor\":0.5}},"
        + "\"training\":{\"steps\":6,\"batchSize\":50},\"eval\":{\"every\":1,\"sets\":[\"test\"]}}");
    RunFolder f = run(s, "plateau");
    assertEquals(RateSchedule.DEFAULT_MONITOR, "acc_test");
    List<MetricRow> acc = TestData.rows(f, "eval", "acc_test");
    for (MetricRow r : acc) assertEquals(acc.get(0).value(), r.value(), 0.0, "the predictions do not change");
    // evaluations after updates 1, 2, 3, ...: the first sets the best, the next two do not improve: decay
    double[] lr = lrs(f);
    assertEquals(1e-9, lr[0], 0.0);
    assertEquals(1e-9, lr[2], 0.0);
    assertEquals(0.5e-9, lr[3], 1e-24, "decayed after the evaluations at steps 2 and 3 did not beat step 1's accuracy");
    assertEquals(0.25e-9, lr[5], 1e-24);
    assertTrue(java.nio.file.Files.readString(f.file(RunFolder.LOG)).contains("-> lr decayed to"));
    // the monitored set must be evaluated
    RunSpec bad = Specs.copy(s);
    bad.eval.sets = List.of("train-eval");
    bad.optimizer.lrSchedule.monitor = "acc_held_out";
    SpecException e = assertThrows(SpecException.class, () -> runner.check(bad));
    assertEquals("Field 'optimizer.lrSchedule.monitor' is acc_held_out but eval.sets does not evaluate 'held-out'; add it to eval.sets.",
        e.getMessage());
  }
}
