package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.lrscan.LrScanQuantities.BRANCH;
import static org.trajlab.probes.lrscan.LrScanQuantities.DIST_TO_ENDPOINT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.engine.optim.Npy;

/**
 * Branches after a shared burn-in (paper 003): {@code training.batchSeed} seeds the batch order apart from the run's
 * seed (absent: the run's seed, so existing runs are unchanged), a run started from another run's checkpoint with
 * another batch seed branches off, and the branch probe measures the distance of its points to the other run's
 * endpoint.
 */
public class BranchRunsTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
  }

  static RunSpec quadratic(long steps, String extra) throws Exception {
    return Specs.parse("{\"name\":\"quad\",\"seed\":3,\"precision\":\"double\",\"model\":{\"type\":\"quadratic\",\"init\":\"normal\"},"
        + "\"data\":{\"dataset\":\"quadratic\",\"quadratic\":{\"dim\":6,\"fast\":1.0,\"slow\":0.05,\"fastCount\":2,"
        + "\"sigma\":0.5,\"samples\":400,\"testSamples\":100},\"trainEvalSize\":400},"
        + "\"optimizer\":{\"type\":\"sgd\",\"lr\":0.5},\"training\":{\"steps\":" + steps + ",\"batchSize\":10" + extra + "},"
        + "\"eval\":{\"every\":5},\"checkpoints\":{\"every\":5}}");
  }

  static RunFolder run(RunSpec s, String name) throws Exception {
    RunFolder f = RunFolder.create(tmp.resolve(name));
    var o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), name + ": " + o.message());
    return f;
  }

  static double[] params(RunFolder f, long step) throws Exception {
    return Npy.read(f.file(String.format("checkpoints/step-%08d/params.npy", step)));
  }

  static double distance(double[] u, double[] v) {
    double s = 0;
    for (int i = 0; i < u.length; i++) s += (u[i] - v[i]) * (u[i] - v[i]);
    return Math.sqrt(s);
  }

  @Test
  public void theBatchSeedDefaultsToTheRunsSeedAndChangesOnlyTheBatchOrder() throws Exception {
    RunFolder plain = run(quadratic(20, ""), "plain");
    RunFolder same = run(quadratic(20, ",\"batchSeed\":3"), "same");
    RunFolder other = run(quadratic(20, ",\"batchSeed\":4"), "other");
    assertEquals(Files.readString(plain.file(RunFolder.METRICS)), Files.readString(same.file(RunFolder.METRICS)));
    assertTrue(!Files.readString(plain.file(RunFolder.SPEC)).contains("batchSeed"), "absent stays absent in spec.json");
    assertArrayEquals(Npy.read(plain.file("checkpoints/step-00000005/theta0.npy")),
        Npy.read(other.file("checkpoints/step-00000005/theta0.npy")), "the initialisation is the run seed's");
    assertEquals(TestData.rows(plain, "eval", "loss_train_eval").get(0).value(),
        TestData.rows(other, "eval", "loss_train_eval").get(0).value(), "the same start, on the same train-eval subset");
    assertNotEquals(TestData.rows(plain, "train", "loss_batch").get(0).value(),
        TestData.rows(other, "train", "loss_batch").get(0).value(), "another first batch");
  }

  @Test
  public void aBranchMeasuresItsDistanceToTheOtherRunsEndpoint() throws Exception {
    RunFolder trunk = run(quadratic(20, ""), "trunk");
    String ck = trunk.dir().resolve("checkpoints/step-00000010").toString();
    RunSpec branch = quadratic(20, ",\"batchSeed\":77");
    branch.start.checkpoint = ck;
    branch.probes = Specs.parse("{\"probes\":[{\"type\":\"branch\",\"schedule\":{\"every\":5},\"params\":{\"to\":\""
        + trunk.dir() + "\"}}]}").probes;
    RunFolder b = run(branch, "branch");
    double[] end = params(trunk, 20);
    List<MetricRow> rows = TestData.rows(b, BRANCH, DIST_TO_ENDPOINT);
    assertEquals(List.of(10L, 15L), rows.stream().map(MetricRow::step).toList());
    assertEquals(distance(params(trunk, 10), end), rows.get(0).value(), 1e-12, "the shared point");
    assertEquals(distance(params(b, 15), end), rows.get(1).value(), 1e-12);
    assertTrue(distance(params(b, 20), end) > 1e-3, "the branch ends elsewhere");
    // with the trunk's own batch seed the branch is the trunk again
    RunSpec again = quadratic(20, "");
    again.start.checkpoint = ck;
    RunFolder c = run(again, "not-a-branch");
    assertArrayEquals(end, params(c, 20));
    // a name that is no run is one sentence
    RunSpec bad = quadratic(20, "");
    bad.probes = Specs.parse("{\"probes\":[{\"type\":\"branch\",\"params\":{\"to\":\"" + tmp.resolve("nowhere") + "\"}}]}").probes;
    SpecException e = assertThrows(SpecException.class, () -> runner.check(bad));
    assertEquals("Field 'probes[0].params.to' names " + tmp.resolve("nowhere") + ", which is neither a trajlab run nor a"
        + " checkpoint folder.", e.getMessage());
  }
}
