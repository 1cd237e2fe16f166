package org.trajlab.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;

/**
 * A line between two runs as {@code trajlab line} and {@code ExperimentRunner.line} write it: {@code lines.csv}
 * ({@code alpha,set,quantity,value}) and {@code summary.json} (both ends). The rows become metric rows the chart
 * renderer reads: step 0, probe {@value #PROBE}, quantity {@code loss_<set>} or {@code acc_<set>} (the set as the
 * eval rows name it: train_eval, test, train_full), index α, so a lines chart with {@code x = step+index} plots the
 * value over α.
 */
public record LineFolder(Path dir, List<MetricRow> rows, List<String> sets, String a, String b, String aDetail,
    String bDetail) {
  public static final String LINES = "lines.csv";
  public static final String SUMMARY = "summary.json";
  /** the probe column of the rows made from lines.csv */
  public static final String PROBE = "line";

  /** the quantity of lines.csv's (quantity, set) in {@link #rows}: loss_test, acc_train_eval, ... */
  public static String quantity(String quantity, String set) {
    return quantity + "_" + set.replace('-', '_');
  }

  /** reads {@code dir}; a folder that is not a line is one sentence */
  public static LineFolder read(Path dir) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(dir.resolve(LINES), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IOException("The folder " + dir + " has no " + LINES + ", so it is not a line between runs"
          + " (trajlab line A B --out DIR writes one).");
    }
    if (lines.isEmpty() || !lines.get(0).equals("alpha,set,quantity,value")) {
      throw new IOException("The file " + dir.resolve(LINES) + " does not start with the header alpha,set,quantity,value.");
    }
    List<MetricRow> rows = new ArrayList<>();
    Set<String> sets = new LinkedHashSet<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      try {
        if (f.length != 4) {
          throw new NumberFormatException();
        }
        rows.add(new MetricRow(0, 0, PROBE, quantity(f[2], f[1]), Double.parseDouble(f[0]), Double.parseDouble(f[3])));
        sets.add(f[1]);
      } catch (NumberFormatException e) {
        throw new IOException("Line " + (i + 1) + " of " + dir.resolve(LINES) + " is not alpha,set,quantity,value: " + line);
      }
    }
    String a = "A";
    String b = "B";
    String aDetail = "";
    String bDetail = "";
    Path summary = dir.resolve(SUMMARY);
    if (Files.isRegularFile(summary)) {
      Map<?, ?> s = Specs.readJson(summary, Map.class);
      if (s.get("a") instanceof Map<?, ?> m) {
        a = String.valueOf(m.get("id"));
        aDetail = detail(m);
      }
      if (s.get("b") instanceof Map<?, ?> m) {
        b = String.valueOf(m.get("id"));
        bDetail = detail(m);
      }
    }
    return new LineFolder(dir, List.copyOf(rows), List.copyOf(sets), a, b, aDetail, bDetail);
  }

  /** "η 0.05, S 100" of an end in summary.json */
  private static String detail(Map<?, ?> m) {
    return m.get("lr") instanceof Number lr && m.get("batch_size") instanceof Number s
        ? String.format(Locale.ROOT, "η %s, S %s", plain(lr.doubleValue()), s) : "";
  }

  private static String plain(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
