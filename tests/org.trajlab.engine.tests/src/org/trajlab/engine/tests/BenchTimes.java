package org.trajlab.engine.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.trajlab.api.spec.Specs;

/**
 * The benchmarks' timings: wall times of repeats, their median under the measurement's key (the key names
 * releng/scripts/bench-report.py reads) and every repeat under {@code repeats.<key>}, so the report can give the ratio
 * to the peer with its spread over repeats.
 */
final class BenchTimes {
  interface Task {
    void run() throws Exception;
  }

  private final Map<String, Object> out = new LinkedHashMap<>();
  private final Map<String, double[]> repeats = new LinkedHashMap<>();

  /** the values a benchmark writes besides its timings (counts, eigenvalues, settings), in order */
  Map<String, Object> values() {
    return out;
  }

  void put(String key, Object value) {
    out.put(key, value);
  }

  static double median(double[] a) {
    double[] b = a.clone();
    Arrays.sort(b);
    return b.length % 2 == 1 ? b[b.length / 2] : (b[b.length / 2 - 1] + b[b.length / 2]) / 2;
  }

  /** wall seconds of {@code reps} runs of t after {@code warm} untimed ones */
  static double[] repeat(Task t, int warm, int reps) throws Exception {
    if (reps < 1) throw new IllegalArgumentException("a timing needs at least one repeat, not " + reps);
    for (int i = 0; i < warm; i++) t.run();
    double[] s = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      t.run();
      s[i] = (System.nanoTime() - t0) / 1e9;
    }
    return s;
  }

  /** records the repeats of one measurement: the median under key, the repeats under repeats.key; returns the median */
  double times(String key, double[] seconds) {
    double m = median(seconds);
    out.put(key, m);
    repeats.put(key, seconds.clone());
    return m;
  }

  double time(String key, Task t, int warm, int reps) throws Exception {
    return times(key, repeat(t, warm, reps));
  }

  /** writes name (bench-*.json) to the test output folder and prints it on one line */
  void write(String name) throws Exception {
    Map<String, Object> all = new LinkedHashMap<>(out);
    all.put("repeats", repeats);
    Path dir = Path.of(System.getProperty("trajlab.test.output", "target/test-output"));
    Files.createDirectories(dir);
    String json = Specs.toJson(all);
    Files.writeString(dir.resolve(name), json);
    System.out.println("[" + name + "] " + json.replaceAll("\\s+", " "));
  }
}
