package org.trajlab.app.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.MetricsReader;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStatus;
import org.trajlab.app.TrajlabCli;
import org.trajlab.testing.HookedRunner;

/**
 * A disk that fills up while a run goes, without root or a real full disk: the run's next write of a file is sent to
 * {@code /dev/full} (every write fails with ENOSPC, "No space left on device") through a symbolic link placed where
 * the run folder writes that file. The run ends FAILED after the updates it did, says so in one sentence (exit 1),
 * and leaves metrics.csv and status.json consistent: whole lines, and a FAILED status with the same sentence.
 */
public class FullDiskTest {
  static final Path DEV_FULL = Path.of("/dev/full");
  static final Pattern FAILED = Pattern.compile("\\[trajlab\\] failed after (\\d+) updates: (.*) \\((.*)\\)");
  static final String SPEC = "{\"name\":\"full\",\"data\":{\"trainSize\":500,\"trainEvalSize\":100},\"model\":{\"hidden\":[16]},"
      + "\"training\":{\"steps\":30,\"batchSize\":50},\"eval\":{\"every\":10},\"probes\":[]}";

  @TempDir
  static Path tmp;

  @BeforeAll
  static void engine() throws Exception {
    CliTest.engine();
  }

  @Test
  public void theDiskFillsUpMidRun() throws Exception {
    Path out = tmp.resolve("mid-run");
    // after update 12 the disk is full: the next status.json write (due after a second) hits /dev/full
    CliTest.Result r = cli(fillsUpAfter(12), "run", Files.writeString(tmp.resolve("full-mid.json"), SPEC).toString(), "--out", out.toString());
    assertEquals(TrajlabCli.FAILED, r.code(), r.err());
    long updates = failedAfter(r, out, "the disk is full: status.json could not be written (No space left on device)");
    assertEquals(12, updates);
    RunFolder f = RunFolder.open(out);
    assertFailedStatus(f, updates, "the disk is full: status.json could not be written (No space left on device)");
    assertWholeLines(f, updates);
    assertEquals("FAILED", f.readSummary().get("state"));
  }

  @Test
  public void theDiskIsFullWhenTheSummaryIsWritten() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("at-the-end"));
    Files.createSymbolicLink(out.resolve(".summary.json.tmp"), DEV_FULL);
    CliTest.Result r = CliTest.cli("run", Files.writeString(tmp.resolve("full-end.json"), SPEC).toString(), "--out", out.toString());
    assertEquals(TrajlabCli.FAILED, r.code(), r.err());
    long updates = failedAfter(r, out, "the disk is full: summary.json could not be written (No space left on device)");
    assertEquals(30, updates, "every update was done before the disk filled up");
    RunFolder f = RunFolder.open(out);
    assertFailedStatus(f, 30, "the disk is full: summary.json could not be written (No space left on device)");
    assertWholeLines(f, 30);
    assertNull(f.readSummary(), "no summary.json");
    assertFalse(Files.exists(out.resolve(".summary.json.tmp"), LinkOption.NOFOLLOW_LINKS), "the failed write's temporary file is gone");
  }

  /** the last line says after how many updates the run failed and why, in one sentence; returns the count */
  static long failedAfter(CliTest.Result r, Path out, String why) {
    List<String> lines = r.err().lines().toList();
    Matcher m = FAILED.matcher(lines.get(lines.size() - 1));
    assertTrue(m.matches(), r.err());
    assertEquals(why, m.group(2));
    assertEquals(out.toAbsolutePath().toString(), m.group(3));
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    long updates = Long.parseLong(m.group(1));
    assertTrue(updates > 0, "the run had done updates when the disk filled up: " + r.err());
    return updates;
  }

  static void assertFailedStatus(RunFolder f, long updates, String message) {
    RunStatus s = f.readStatus();
    assertEquals(RunState.FAILED, s.state);
    assertEquals(message, s.message);
    assertEquals(updates, s.step);
  }

  /** metrics.csv: whole lines that parse, the train rows of every update done */
  static void assertWholeLines(RunFolder f, long updates) throws IOException {
    String csv = Files.readString(f.file(RunFolder.METRICS));
    assertTrue(csv.endsWith("\n"), "metrics.csv ends with a whole line");
    List<MetricRow> rows = MetricsReader.readAll(f.file(RunFolder.METRICS));
    List<Long> steps = rows.stream().filter(r -> r.probe().equals("train") && r.quantity().equals("loss_batch"))
        .map(MetricRow::step).toList();
    assertEquals(updates, steps.size());
    assertEquals(updates - 1, steps.get(steps.size() - 1));
  }

  static CliTest.Result cli(ExperimentRunner runner, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new TrajlabCli(runner, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    return new CliTest.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * The engine, with a disk that fills up once {@code step} updates are done: the run folder's status file is then
   * written to /dev/full, and the run waits past the status interval so that write comes at once.
   */
  static ExperimentRunner fillsUpAfter(long step) {
    return new HookedRunner(CliTest.runner, (t, folder) -> {
      if (t == step) {
        Files.createSymbolicLink(folder.file("." + RunFolder.STATUS + ".tmp"), DEV_FULL);
        Thread.sleep(1_100);
      }
    });
  }
}
