package org.trajlab.app.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.store.RunState;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.app.TrajlabCli;

/** The command line as a researcher meets it: exit codes, one-sentence errors, progress on stderr. */
public class CliTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;

  record Result(int code, String out, String err) {
  }

  @BeforeAll
  static synchronized void engine() throws Exception {
    if (runner != null) return;
    Bundle b = FrameworkUtil.getBundle(CliTest.class);
    if (b.getBundleContext() == null) b.start(Bundle.START_TRANSIENT);
    ServiceTracker<ExperimentRunner, ExperimentRunner> t = new ServiceTracker<>(b.getBundleContext(), ExperimentRunner.class, null);
    t.open();
    runner = t.waitForService(30_000);
  }

  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    TrajlabCli c = new TrajlabCli(runner, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    int code = c.execute(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Path spec(String name, String json) throws Exception {
    return Files.writeString(tmp.resolve(name + ".json"), json);
  }

  @Test
  public void missingSpecFileAndBadCommandLine() {
    Result r = cli("run", tmp.resolve("no-such.json").toString());
    assertEquals(2, r.code());
    assertEquals("[trajlab] The spec file " + tmp.resolve("no-such.json") + " does not exist.", r.err().strip());
    r = cli("run", "--outt", "x");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("[trajlab] Unknown option: '--outt'"), r.err());
  }

  @Test
  public void aShortRunExitsZeroWithProgressAndAFolder() throws Exception {
    String json = "{\"name\":\"cli\",\"training\":{\"steps\":30,\"batchSize\":50},\"data\":{\"trainEvalSize\":500},"
        + "\"eval\":{\"every\":10},\"probes\":[{\"type\":\"walk\",\"schedule\":{\"from\":0,\"to\":29,\"every\":3}}]}";
    Path out = tmp.resolve("ok-run");
    Result r = cli("run", spec("ok", json).toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("update 30/30 (100%)"), r.err());
    assertTrue(r.err().contains("updates/s | ETA 0:00:00"), r.err());
    assertTrue(r.err().contains("done after 30 updates"), r.err());
    assertEquals(out.toAbsolutePath().toString(), r.out().strip());
    RunFolder f = RunFolder.open(out);
    assertEquals("cli", f.readSpec().name);
    assertTrue(Files.readString(f.file(RunFolder.METRICS)).contains(",walk,height,"));
    // the folder is now taken: a second run into it is refused (exit 2), nothing overwritten
    long size = Files.size(f.file(RunFolder.METRICS));
    Result again = cli("run", spec("ok", json).toString(), "--out", out.toString());
    assertEquals(2, again.code());
    assertTrue(again.err().contains("already holds a run"), again.err());
    assertEquals(size, Files.size(f.file(RunFolder.METRICS)));
  }

  @Test
  public void resumeContinuesACancelledRunAndRefusesAFinishedOne() throws Exception {
    RunSpec spec = Specs.parse("{\"name\":\"res\",\"training\":{\"steps\":30,\"batchSize\":50},"
        + "\"data\":{\"trainEvalSize\":500},\"eval\":{\"every\":10},\"checkpoints\":{\"every\":10}}");
    RunFolder f = RunFolder.create(tmp.resolve("res-run"));
    RunOutcome first = runner.run(spec, f, new RunMonitor() {
      int calls;

      @Override
      public boolean isCancelled() {
        return ++calls > 15;
      }
    });
    assertEquals(RunState.CANCELLED, first.state());
    Result r = cli("run", "--resume", f.dir().toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("[trajlab] resuming " + f.dir().toAbsolutePath() + " at update 10: 20 updates to go (to 30)",
        r.err().lines().findFirst().orElseThrow(), r.err());
    assertTrue(r.err().contains("done after 30 updates"), r.err());
    assertEquals(RunState.DONE, f.readStatus().state);
    Result again = cli("run", "--resume", f.dir().toString());
    assertEquals(2, again.code());
    assertEquals(1, again.err().lines().filter(l -> l.contains("has already finished")).count(), again.err());
  }

  @Test
  public void theAnnouncementSaysWhatWillHappen() throws Exception {
    String data = "\"data\":{\"trainSize\":200,\"trainEvalSize\":100},\"probes\":[]";
    Path first = tmp.resolve("announce-4");
    Result r = cli("run", spec("announce-4", "{" + data + ",\"training\":{\"steps\":4,\"batchSize\":50}}").toString(),
        "--out", first.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().lines().anyMatch("[trajlab] 4 updates to go"::equals), r.err());
    String ck = first.resolve("checkpoints/step-00000004").toString();
    // zero steps from the checkpoint: a probe-only run at update 4
    r = cli("run", spec("announce-probe", "{" + data + ",\"training\":{\"steps\":0,\"batchSize\":50},"
        + "\"start\":{\"checkpoint\":\"" + ck + "\"}}").toString(), "--out", tmp.resolve("announce-probe").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().lines().anyMatch("[trajlab] probe-only run at update 4 (no training)"::equals), r.err());
    assertFalse(r.err().contains("updates to go"), r.err());
    assertTrue(r.err().contains("done after 4 updates"), r.err());
    // on from the checkpoint to update 7
    r = cli("run", spec("announce-7", "{" + data + ",\"training\":{\"steps\":7,\"batchSize\":50},"
        + "\"start\":{\"checkpoint\":\"" + ck + "\"}}").toString(), "--out", tmp.resolve("announce-7").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().lines().anyMatch("[trajlab] continuing from update 4: 3 updates to go (to 7)"::equals), r.err());
    assertTrue(r.err().contains("update 7/7 (100%)"), r.err());
  }

  @Test
  public void defaultSpecPrintsTheDefaultExperiment() throws Exception {
    Result r = cli("default-spec");
    assertEquals(0, r.code());
    assertEquals(Specs.toJson(Specs.defaultExperiment()), Specs.toJson(Specs.parse(r.out())));
    Result c = cli("check", spec("default", r.out()).toString());
    assertEquals(0, c.code(), c.err());
  }

  @Test
  public void helpListsTheCommands() {
    Result r = cli("--help");
    assertEquals(0, r.code());
    assertTrue(Arrays.stream(new String[] { "run", "check", "default-spec" }).allMatch(r.out()::contains), r.out());
    assertTrue(r.out().contains("line"), r.out());
  }

  /** trajlab line A B --out DIR: a readable folder; bad endpoints and settings are one sentence with exit 2 */
  @Test
  public void lineBetweenRunsWritesAFolderAndRefusesBadInput() throws Exception {
    String json = "{\"name\":\"liner\",\"precision\":\"double\",\"training\":{\"steps\":10,\"batchSize\":50},"
        + "\"data\":{\"trainEvalSize\":500,\"trainSize\":1000,\"testSize\":500},\"eval\":{\"every\":10}}";
    Path run = tmp.resolve("line-run");
    assertEquals(0, cli("run", spec("liner", json).toString(), "--out", run.toString()).code());
    Path out = tmp.resolve("line-out");
    Result r = cli("line", run.toString(), run.resolve("checkpoints/step-00000010").toString(), "--out", out.toString(),
        "--points", "4", "--from", "-1", "--to", "2", "--sets", "test");
    assertEquals(0, r.code(), r.err());
    assertEquals(out.toAbsolutePath().toString(), r.out().strip());
    List<String> lines = Files.readAllLines(out.resolve("lines.csv"));
    assertEquals("alpha,set,quantity,value", lines.get(0));
    assertEquals(1 + 4 * 2, lines.size(), "alphas -1, 0, 1, 2 (0 and 1 are grid points)");
    assertTrue(lines.get(3).startsWith("0.0,test,loss,"), lines.get(3));
    assertTrue(Files.readString(out.resolve("summary.json")).contains("\"id\" : \"line-run@step-00000010\""));
    // bad input: one sentence, exit 2, nothing written
    Result bad = cli("line", run.toString(), tmp.resolve("no-run").toString(), "--out", tmp.resolve("never").toString());
    assertEquals(2, bad.code());
    assertEquals("[trajlab] The folder " + tmp.resolve("no-run") + " (B) is neither a trajlab run nor a checkpoint"
        + " folder: it does not exist.", bad.err().strip());
    bad = cli("line", run.toString(), run.toString(), "--out", out.toString());
    assertEquals(2, bad.code());
    assertEquals("[trajlab] The folder " + out + " is not empty; give a new or empty folder.", bad.err().strip());
    bad = cli("line", run.toString(), run.toString(), "--out", tmp.resolve("never").toString(), "--from", "2", "--to", "1");
    assertEquals(2, bad.code());
    assertTrue(bad.err().strip().startsWith("[trajlab] The α range must run from a smaller to a larger"), bad.err());
    assertFalse(Files.exists(tmp.resolve("never")));
  }

  @Test
  void contributionsListTheRegisteredProbesAndInstrumentViews() {
    Result all = cli("contributions");
    assertEquals(0, all.code(), all.err());
    List<String> lines = all.out().lines().toList();
    assertTrue(lines.contains("probe\twalk\tWalk with SGD\torg.trajlab.probes.walk"), all.out());
    assertTrue(lines.contains("instrument\twalk\tWalk\torg.trajlab.probes.walk"), all.out());
    assertTrue(lines.contains("instrument\taveraging\tAveraging\torg.trajlab.probes.averaging"), all.out());
    for (String l : lines) {
      assertEquals(4, l.split("\t").length, l);
    }
    Result probes = cli("contributions", "--kind", "probe");
    assertEquals(0, probes.code(), probes.err());
    assertTrue(probes.out().lines().allMatch(l -> l.startsWith("probe\t")), probes.out());
    assertTrue(probes.out().lines().count() >= 2, probes.out());
    Result bad = cli("contributions", "--kind", "views");
    assertEquals(2, bad.code());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
    assertTrue(bad.err().startsWith("[trajlab] unknown kind 'views'; kinds: probe, instrument, view"), bad.err());
  }
}
