package org.trajlab.ui.wizards;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.trajlab.api.probe.Schedule;
import org.trajlab.api.run.RunPreview;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunStore;

/**
 * What a probe costs per measurement, as earlier runs measured it: a run's summary.json holds each probe's
 * {@code seconds} under its id, and its metrics.csv the steps it measured at; their ratio is the cost of one
 * measurement on that run's model and data. The newest run with the probe counts. A probe no run has measured is
 * unknown.
 */
public final class ProbeCosts {
  /** runs looked at, newest first */
  static final int MAX_RUNS = 40;
  /** metrics tables larger than this are not read */
  static final long MAX_METRICS_BYTES = 64L << 20;

  /** seconds per measurement and the run it was measured in */
  public record Cost(double secondsPerMeasurement, String run, long measurements) {}

  private final Map<String, Cost> costs = new HashMap<>();

  private ProbeCosts() {}

  /** the costs measured by the runs under {@code root} */
  public static ProbeCosts scan(Path root) {
    ProbeCosts c = new ProbeCosts();
    List<RunFolder> runs;
    try {
      runs = new RunStore(root).list();
    } catch (IOException e) {
      return c;
    }
    int looked = 0;
    for (RunFolder r : runs) {
      if (looked++ >= MAX_RUNS) {
        break;
      }
      Map<String, Object> summary;
      try {
        if (!Files.isRegularFile(r.file(RunFolder.SUMMARY))) {
          continue;
        }
        summary = r.readSummary();
      } catch (IOException e) {
        continue;
      }
      Map<String, Double> seconds = new HashMap<>();
      for (var e : summary.entrySet()) {
        if (e.getValue() instanceof Map<?, ?> m && m.get("seconds") instanceof Number n && !c.costs.containsKey(e.getKey())) {
          seconds.put(e.getKey(), n.doubleValue());
        }
      }
      if (seconds.isEmpty()) {
        continue;
      }
      Map<String, Long> measured = measuredSteps(r.file(RunFolder.METRICS), seconds.keySet());
      for (var e : seconds.entrySet()) {
        long n = measured.getOrDefault(e.getKey(), 0L);
        if (n > 0) {
          c.costs.put(e.getKey(), new Cost(e.getValue() / n, r.name(), n));
        }
      }
    }
    return c;
  }

  /** the distinct steps each of {@code probes} wrote rows at */
  private static Map<String, Long> measuredSteps(Path metrics, Set<String> probes) {
    Map<String, Set<String>> steps = new HashMap<>();
    try {
      if (Files.size(metrics) > MAX_METRICS_BYTES) {
        return Map.of();
      }
      try (BufferedReader in = Files.newBufferedReader(metrics)) {
        String line = in.readLine(); // header: step,epoch,probe,quantity,index,value
        while ((line = in.readLine()) != null) {
          int a = line.indexOf(',');
          int b = line.indexOf(',', a + 1);
          int c = line.indexOf(',', b + 1);
          if (a < 0 || b < 0 || c < 0) {
            continue;
          }
          String probe = line.substring(b + 1, c);
          if (probes.contains(probe)) {
            steps.computeIfAbsent(probe, k -> new HashSet<>()).add(line.substring(0, a));
          }
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    Map<String, Long> out = new HashMap<>();
    steps.forEach((k, v) -> out.put(k, (long) v.size()));
    return out;
  }

  /** the measured cost of probe type {@code type}, or null */
  public Cost cost(String type) {
    return costs.get(type);
  }

  /** the updates of the plan at which {@code probe} is due */
  public static long measurements(ProbeSpec probe, RunPreview p) {
    Schedule schedule = new Schedule(probe.schedule);
    long n = 0;
    for (int t = (int) p.startStep(); t < p.totalSteps(); t++) {
      if (schedule.due(t, p.epoch()[t])) {
        n++;
      }
    }
    return n;
  }

  /** the estimate a page shows: "≈ 12 s (150 × 0.08 s, measured in RUN)", or "unknown (no run has measured it)" */
  public String estimate(ProbeSpec probe, RunPreview p) {
    Cost c = costs.get(probe.type);
    if (p == null) {
      return "";
    }
    long n = measurements(probe, p);
    if (c == null) {
      return String.format(Locale.ROOT, "%,d measurement%s; cost unknown (no earlier run measured it)", n,
          n == 1 ? "" : "s");
    }
    return String.format(Locale.ROOT, "≈ %s (%,d × %s, measured in %s)", seconds(n * c.secondsPerMeasurement()), n,
        seconds(c.secondsPerMeasurement()), c.run());
  }

  static String seconds(double s) {
    if (s < 0.1) return String.format(Locale.ROOT, "%.0f ms", s * 1000);
    if (s < 100) return String.format(Locale.ROOT, "%.1f s", s);
    if (s < 6000) return String.format(Locale.ROOT, "%.0f min", s / 60);
    return String.format(Locale.ROOT, "%.1f h", s / 3600);
  }
}
