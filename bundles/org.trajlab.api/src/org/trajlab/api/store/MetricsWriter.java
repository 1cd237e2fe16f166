package org.trajlab.api.store;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.csv.CSVPrinter;

/**
 * Appends rows to metrics.csv. Rows collect in memory and {@link #flush()} hands them to the operating system in a
 * single write of whole lines, so a process killed at any moment leaves a file whose every line parses. The engine
 * flushes after each update.
 */
public final class MetricsWriter implements Closeable {
  private final FileOutputStream out;
  private final StringBuilder pending = new StringBuilder(1 << 14);
  private final CSVPrinter printer;
  private long rows;

  MetricsWriter(Path file) throws IOException {
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    this.out = new FileOutputStream(file.toFile(), true);
    this.printer = new CSVPrinter(pending, MetricsFormat.WRITE);
    if (fresh) {
      printer.printRecord((Object[]) MetricsFormat.HEADER);
      flush();
    }
  }

  public void record(long step, int epoch, String probe, String quantity, double index, double value) {
    try {
      printer.printRecord(step, epoch, probe, quantity, Double.isNaN(index) ? "" : MetricsFormat.number(index),
          MetricsFormat.number(value));
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: the printer writes to a StringBuilder
    }
  }

  public void record(MetricRow r) {
    record(r.step(), r.epoch(), r.probe(), r.quantity(), r.index(), r.value());
  }

  /** writes every complete row collected so far in one system call */
  public synchronized void flush() throws IOException {
    if (pending.length() == 0) {
      return;
    }
    byte[] bytes = pending.toString().getBytes(StandardCharsets.UTF_8);
    pending.setLength(0);
    out.write(bytes);
    out.flush();
  }

  public long rowsWritten() {
    return rows;
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      out.close();
    }
  }
}
