package org.trajlab.api.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.MetricsReader;
import org.trajlab.api.store.MetricsWriter;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStatus;
import org.trajlab.api.store.RunStore;

public class MetricsStoreTest {
  @TempDir
  Path tmp;

  @Test
  public void rowsRoundTripExactly() throws IOException {
    RunFolder f = RunFolder.create(tmp.resolve("r"));
    double[] values = { 0.1, 1.0 / 3, 2.302585092994045, 1e-300, -0.0, 12345678901234.0, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 4.9e-324 };
    try (MetricsWriter w = f.openMetrics()) {
      for (int i = 0; i < values.length; i++) {
        w.record(i, 1, "walk", "loss_interp", i / 11.0, values[i]);
      }
      w.record(7, 2, "eval", "loss_test", Double.NaN, 0.5);
    }
    List<MetricRow> rows = MetricsReader.readAll(f.file(RunFolder.METRICS));
    assertEquals(values.length + 1, rows.size());
    for (int i = 0; i < values.length; i++) {
      assertEquals(Double.doubleToLongBits(values[i] == 0 ? 0.0 : values[i]), Double.doubleToLongBits(rows.get(i).value()), "row " + i);
      assertEquals(i / 11.0, rows.get(i).index());
    }
    MetricRow last = rows.get(values.length);
    assertEquals(new MetricRow(7, 2, "eval", "loss_test", Double.NaN, 0.5).toString(), last.toString());
    String text = Files.readString(f.file(RunFolder.METRICS));
    assertTrue(text.startsWith("step,epoch,probe,quantity,index,value\n0,1,walk,loss_interp,0,0.1\n"), text);
    assertTrue(text.contains("7,2,eval,loss_test,,0.5\n"));
  }

  @Test
  public void readerFollowsAGrowingFileAndLeavesHalfLinesForLater() throws IOException {
    RunFolder f = RunFolder.create(tmp.resolve("r"));
    MetricsReader reader = f.metricsReader();
    try (MetricsWriter w = f.openMetrics()) {
      w.record(0, 0, "eval", "loss_test", Double.NaN, 2.3);
      w.flush();
      assertEquals(1, reader.readNew().size());
      assertEquals(0, reader.readNew().size());
      // a writer killed in the middle of a line: the reader must not see it until it is whole
      Files.writeString(f.file(RunFolder.METRICS), "1,1,train,loss_ba", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      assertEquals(0, reader.readNew().size());
      Files.writeString(f.file(RunFolder.METRICS), "tch,,0.7\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      List<MetricRow> more = reader.readNew();
      assertEquals(1, more.size());
      assertEquals("loss_batch", more.get(0).quantity());
      assertEquals(0.7, more.get(0).value());
    }
  }

  @Test
  public void nothingIsWrittenBeforeFlush() throws IOException {
    RunFolder f = RunFolder.create(tmp.resolve("r"));
    try (MetricsWriter w = f.openMetrics()) {
      long header = Files.size(f.file(RunFolder.METRICS));
      w.record(0, 0, "train", "lr", Double.NaN, 0.1);
      assertEquals(header, Files.size(f.file(RunFolder.METRICS)));
      w.flush();
      assertTrue(Files.size(f.file(RunFolder.METRICS)) > header);
    }
  }

  @Test
  public void statusSummaryAndStoreListing() throws Exception {
    RunStore store = new RunStore(tmp.resolve("runs"));
    RunFolder a = store.newRun("alpha");
    a.writeSpec(Specs.parse("{\"name\":\"alpha\"}"));
    RunStatus s = new RunStatus();
    s.state = RunState.RUNNING;
    s.step = 5;
    s.totalSteps = 10;
    s.pid = ProcessHandle.current().pid();
    a.writeStatus(s);
    a.writeSummary(Map.of("updates", 10));
    assertEquals(RunState.RUNNING, a.readStatus().state);
    assertEquals(0.5, a.readStatus().fraction());
    assertEquals(10, a.readSummary().get("updates"));
    assertEquals(List.of(a.dir()), store.list().stream().map(RunFolder::dir).toList());
    assertEquals("alpha", a.readSpec().name);
    // a RUNNING status whose process is gone reads as INTERRUPTED
    s.pid = Long.MAX_VALUE - 1;
    a.writeStatus(s);
    assertEquals(RunState.INTERRUPTED, a.readStatus().state);
    // no temporary files are left behind
    try (var files = Files.list(a.dir())) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }
    assertThrows(IOException.class, () -> RunFolder.create(a.dir()));
  }
}
