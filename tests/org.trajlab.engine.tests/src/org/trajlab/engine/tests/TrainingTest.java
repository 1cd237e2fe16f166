package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.walk.WalkQuantities.COS_CONSECUTIVE_GRAD;
import static org.trajlab.probes.walk.WalkQuantities.DIST_FROM_INIT;
import static org.trajlab.probes.walk.WalkQuantities.HEIGHT;
import static org.trajlab.probes.walk.WalkQuantities.LOSS_INTERP;
import static org.trajlab.probes.walk.WalkQuantities.VALLEY_ALPHA;
import static org.trajlab.probes.walk.WalkQuantities.VALLEY_FLOOR;
import static org.trajlab.probes.walk.WalkQuantities.WALK;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;

/** Real training on the real Fashion-MNIST (installed by ./build.sh from the Debian package). */
public class TrainingTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
  }

  static RunSpec shortSpec(long steps) throws Exception {
    RunSpec s = Specs.defaultExperiment();
    s.name = "short";
    s.training.steps = steps;
    s.data.trainEvalSize = 1000;
    s.eval.every = 25;
    s.probes.clear();
    ProbeSpec walk = new ProbeSpec(WALK, ScheduleSpec.every(5));
    walk.params.put("points", 10);
    s.probes.add(walk);
    return s;
  }


  @Test
  public void fiftyStepsLowerTheLossAndWalkRowsAreConsistent() throws Exception {
    RunFolder f = RunFolder.create(tmp.resolve("fifty"));
    RunOutcome o = runner.run(shortSpec(50), f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    assertEquals(50, o.steps());

    List<MetricRow> evalLoss = TestData.rows(f, "eval", "loss_train_eval");
    assertEquals(List.of(0L, 25L, 50L), evalLoss.stream().map(MetricRow::step).toList());
    double before = evalLoss.get(0).value();
    double after = evalLoss.get(2).value();
    assertTrue(before > 2.0 && before < 2.6, "initial loss near ln 10: " + before);
    assertTrue(after < 0.8 * before, "50 SGD steps lower the train-eval loss: " + before + " -> " + after);
    assertTrue(TestData.rows(f, "eval", "acc_test").get(2).value() > 0.5, "test accuracy after 50 steps");

    // the walk: 10 walks (every 5th update), 12 points each; height recomputed from the loss_interp rows
    Map<Long, List<MetricRow>> interp = TestData.rows(f, WALK, LOSS_INTERP).stream()
        .collect(Collectors.groupingBy(MetricRow::step, TreeMap::new, Collectors.toList()));
    assertEquals(List.of(0L, 5L, 10L, 15L, 20L, 25L, 30L, 35L, 40L, 45L), List.copyOf(interp.keySet()));
    Map<Long, Double> height = byStep(TestData.rows(f, WALK, HEIGHT));
    Map<Long, Double> floor = byStep(TestData.rows(f, WALK, VALLEY_FLOOR));
    Map<Long, Double> alphaStar = byStep(TestData.rows(f, WALK, VALLEY_ALPHA));
    for (var e : interp.entrySet()) {
      List<MetricRow> pts = e.getValue();
      assertEquals(12, pts.size());
      assertEquals(0.0, pts.get(0).index());
      assertEquals(1.0, pts.get(11).index());
      MetricRow min = pts.stream().min((a, b) -> Double.compare(a.value(), b.value())).orElseThrow();
      assertEquals(min.value(), floor.get(e.getKey()), 0.0);
      assertEquals(min.index(), alphaStar.get(e.getKey()), 0.0);
      double h = (pts.get(0).value() + pts.get(11).value() - 2 * min.value()) / 2;
      assertEquals(h, height.get(e.getKey()), 0.0, "height at step " + e.getKey());
    }
    // the walk at update 0 starts at theta_0: its first point is the step-0 evaluation on the same set
    assertEquals(before, interp.get(0L).get(0).value(), 0.0);
    // and the walk at update 25 starts at theta_25, evaluated after update 24
    assertEquals(evalLoss.get(1).value(), interp.get(25L).get(0).value(), 0.0);
    // cosine from the second walk on; distances grow from 0
    assertEquals(9, TestData.rows(f, WALK, COS_CONSECUTIVE_GRAD).size());
    assertEquals(0.0, TestData.rows(f, WALK, DIST_FROM_INIT).get(0).value(), 0.0);
    assertTrue(TestData.rows(f, WALK, DIST_FROM_INIT).get(9).value() > 0.1);
    assertEquals(50, TestData.rows(f, "train", "loss_batch").size());
    assertEquals(0.001, TestData.rows(f, "train", "noise_scale").get(0).value(), 0.0);

    RunSpec written = f.readSpec();
    assertEquals(org.trajlab.engine.data.FashionMnist.DEBIAN_DIR.toString(), written.data.dir);
    assertEquals(RunState.DONE, f.readStatus().state);
    assertEquals(50, f.readStatus().step);
    assertEquals("DONE", f.readSummary().get("state"));
    assertEquals(10, ((Map<?, ?>) f.readSummary().get(WALK)).get("walks"));
    String env = Files.readString(f.file(RunFolder.ENVIRONMENT));
    assertTrue(env.contains("train-images-idx3-ubyte.gz") && env.contains("CpuBackend"), env);
  }

  @Test
  public void theSameSpecGivesBitIdenticalMetrics() throws Exception {
    RunFolder a = RunFolder.create(tmp.resolve("same-a"));
    RunFolder b = RunFolder.create(tmp.resolve("same-b"));
    assertEquals(RunState.DONE, runner.run(shortSpec(20), a, RunMonitor.NONE).state());
    assertEquals(RunState.DONE, runner.run(shortSpec(20), b, RunMonitor.NONE).state());
    byte[] ma = Files.readAllBytes(a.file(RunFolder.METRICS));
    byte[] mb = Files.readAllBytes(b.file(RunFolder.METRICS));
    assertTrue(ma.length > 5000);
    List<String> la = Files.readAllLines(a.file(RunFolder.METRICS));
    List<String> lb = Files.readAllLines(b.file(RunFolder.METRICS));
    for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
      assertEquals(la.get(i), lb.get(i), "first difference at line " + (i + 1));
    }
    assertEquals(la.size(), lb.size(), "extra lines: " + (la.size() > lb.size() ? la.subList(lb.size(), la.size())
        : lb.subList(la.size(), lb.size())));
    assertArrayEquals(ma, mb);
    // and a different seed gives a different trajectory
    RunSpec other = shortSpec(20);
    other.seed = 1;
    RunFolder c = RunFolder.create(tmp.resolve("seed1"));
    runner.run(other, c, RunMonitor.NONE);
    assertTrue(!java.util.Arrays.equals(ma, Files.readAllBytes(c.file(RunFolder.METRICS))));
  }

  @Test
  public void cancellationEndsCleanly() throws Exception {
    RunFolder f = RunFolder.create(tmp.resolve("cancel"));
    RunOutcome o = runner.run(shortSpec(500), f, new RunMonitor() {
      @Override
      public boolean isCancelled() {
        try {
          return TestData.rows(f, "train", "loss_batch").size() >= 7;
        } catch (Exception e) {
          return true;
        }
      }
    });
    assertEquals(RunState.CANCELLED, o.state());
    assertEquals(RunState.CANCELLED, f.readStatus().state);
    assertEquals(7, TestData.rows(f, "train", "loss_batch").size());
    assertEquals("CANCELLED", f.readSummary().get("state"));
  }

  @Test
  public void aHugeLearningRateDivergesCleanly() throws Exception {
    RunSpec s = shortSpec(30);
    s.optimizer.lr = 1e12;
    RunFolder f = RunFolder.create(tmp.resolve("diverge"));
    RunOutcome o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DIVERGED, o.state(), o.message());
    assertTrue(o.steps() < 30);
    List<MetricRow> losses = TestData.rows(f, "train", "loss_batch");
    assertTrue(!Double.isFinite(losses.get(losses.size() - 1).value()));
    assertEquals(RunState.DIVERGED, f.readStatus().state);
  }

  private static Map<Long, Double> byStep(List<MetricRow> rows) {
    return rows.stream().collect(Collectors.toMap(MetricRow::step, MetricRow::value));
  }
}
