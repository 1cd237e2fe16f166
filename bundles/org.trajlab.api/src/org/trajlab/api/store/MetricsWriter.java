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
 * flushes after each update. A write that fails (a full disk) leaves the file cut back to its last whole line.
 */
public final class MetricsWriter implements Closeable {
  private final FileOutputStream out;
  private final StringBuilder pending = new StringBuilder(1 << 14);
  private final CSVPrinter printer;
  private final Path file;
  /** bytes of whole lines in the file */
  private long length;

  MetricsWriter(Path file) throws IOException {
    this.file = file;
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    try {
      this.out = new FileOutputStream(file.toFile(), true);
      this.length = out.getChannel().size();
    } catch (IOException e) {
      throw new RunWriteException(file.getFileName().toString(), e);
    }
    this.printer = new CSVPrinter(pending, MetricsFormat.CSV);
    if (fresh) {
      printer.printRecord((Object[]) MetricsFormat.HEADER);
      flush();
    }
  }

  public void record(long step, int epoch, String probe, String quantity, double index, double value) {
    try {
      printer.printRecord(step, epoch, probe, quantity, Double.isNaN(index) ? "" : MetricsFormat.number(index),
          MetricsFormat.number(value));
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
    try {
      out.write(bytes);
      out.flush();
      length += bytes.length;
    } catch (IOException e) {
      // a full disk may have taken part of the lines: cut the file back to its last whole line (which frees that part)
      try {
        out.getChannel().truncate(length);
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      throw new RunWriteException(file.getFileName().toString(), e);
    }
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
