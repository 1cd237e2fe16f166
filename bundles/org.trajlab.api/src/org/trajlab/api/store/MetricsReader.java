package org.trajlab.api.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads metrics.csv incrementally: each {@link #readNew()} returns the complete lines added since the last call,
 * so a view can follow a run that is still writing. A line without its newline yet is left for the next call.
 */
public final class MetricsReader {
  private final Path file;
  private long offset;
  private boolean headerSeen;

  public MetricsReader(Path file) {
    this.file = file;
  }

  public static List<MetricRow> readAll(Path file) throws IOException {
    return new MetricsReader(file).readNew();
  }

  public synchronized List<MetricRow> readNew() throws IOException {
    List<MetricRow> rows = new ArrayList<>();
    if (!Files.exists(file)) {
      return rows;
    }
    String chunk;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long len = raf.length();
      if (len <= offset) {
        return rows;
      }
      byte[] buf = new byte[(int) Math.min(Integer.MAX_VALUE - 8, len - offset)];
      raf.seek(offset);
      raf.readFully(buf);
      int end = buf.length;
      while (end > 0 && buf[end - 1] != '\n') {
        end--;
      }
      if (end == 0) {
        return rows;
      }
      offset += end;
      chunk = new String(buf, 0, end, StandardCharsets.UTF_8);
    }
    try (CSVParser p = CSVParser.parse(new StringReader(chunk), MetricsFormat.CSV)) {
      for (CSVRecord r : p) {
        if (!headerSeen && r.getRecordNumber() == 1 && "step".equals(r.get(0))) {
          headerSeen = true;
          continue;
        }
        rows.add(new MetricRow(Long.parseLong(r.get(0)), Integer.parseInt(r.get(1)), r.get(2), r.get(3),
            MetricsFormat.parse(r.get(4)), MetricsFormat.parse(r.get(5))));
      }
    }
    return rows;
  }
}
