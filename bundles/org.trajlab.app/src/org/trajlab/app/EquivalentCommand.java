package org.trajlab.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.trajlab.api.probe.ProbeState;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.RateScheduleSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trajlab equivalent SPEC.json --average ema --out DIR}: paper 003's comparison (INSTRUMENTS.md section 4).
 * SPEC starts from a checkpoint ({@code start.checkpoint}) and trains at a constant rate to T = {@code training.steps};
 * the command runs (a) SPEC with the averaging probe keeping the chosen average into {@code DIR/a-constant} and (b)
 * SPEC with the average's equivalent learning-rate schedule into {@code DIR/b-schedule} — the same start, seed and
 * batch size, so the same batch sequence — and writes {@code DIR/summary.json} and {@code DIR/comparison.csv}: the
 * loss and accuracy of (a)'s average and of (b)'s endpoint on each evaluated set, and the parameter distance between
 * them (batch-norm statistics left out), absolute and relative to ‖(b)'s endpoint‖.
 */
@Command(name = "equivalent", description = "Compare a trajectory average with its equivalent learning-rate schedule"
    + " (paper 003): two runs from SPEC's start checkpoint and a side-by-side summary.")
final class EquivalentCommand implements Callable<Integer> {
  static final List<String> AVERAGES = List.of("ema", "swa", "twopoint", "multipoint");

  private final TrajlabCli cli;
  @Parameters(paramLabel = "SPEC.json", description = "a spec with start.checkpoint, training.steps (T) and a constant rate")
  Path specFile;
  @Option(names = "--average", required = true, paramLabel = "AVG", description = "ema, swa, twopoint or multipoint")
  String average;
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "a new or empty folder for both runs and the summary")
  Path out;
  @Option(names = "--beta", paramLabel = "B", description = "EMA decay (default 0.99)")
  double beta = 0.99;
  @Option(names = "--k", paramLabel = "K", description = "two-point: steps between the points; multi-point: between each (default 10)")
  int k = 10;
  @Option(names = "--snapshots", paramLabel = "N", description = "SWA snapshots, multi-point points (default 5)")
  int snapshots = 5;
  @Option(names = "--every", paramLabel = "C", description = "SWA: steps between snapshots (default 10)")
  int every = 10;

  EquivalentCommand(TrajlabCli cli) {
    this.cli = cli;
  }

  /** the pair of specs: (a) constant rate with the average kept, (b) the equivalent schedule */
  record Pair(RunSpec constant, RunSpec schedule, long end) {}

  /** builds the pair from SPEC and the options; one-sentence SpecExceptions */
  Pair pair(RunSpec spec) throws SpecException {
    Specs.require(AVERAGES.contains(average), "--average", "Option --average must be one of " + String.join(", ", AVERAGES)
        + ", but it is '" + average + "'.");
    Specs.require(spec.start != null && spec.start.checkpoint != null, "start.checkpoint", "Field 'start.checkpoint' must"
        + " name the checkpoint both runs start from (the comparison needs the same start and batch sequence).");
    Specs.require(spec.training.steps != null, "training.steps", "Field 'training.steps' must give T, the step the"
        + " average is taken at.");
    Specs.require(spec.optimizer.lrSchedule == null || "constant".equals(spec.optimizer.lrSchedule.type),
        "optimizer.lrSchedule", "Field 'optimizer.lrSchedule' must be left out or constant: run (a) trains at the"
        + " constant rate optimizer.lr, run (b) gets the equivalent schedule.");
    Specs.require(spec.training.batchSchedule == null || "constant".equals(spec.training.batchSchedule.type),
        "training.batchSchedule", "Field 'training.batchSchedule' must be left out: both runs need the same batches.");
    Specs.require(beta > 0 && beta < 1, "--beta", "Option --beta must be in (0, 1), but it is " + beta + ".");
    Specs.require(k >= 1, "--k", "Option --k must be at least 1, but it is " + k + ".");
    Specs.require(snapshots >= (average.equals("multipoint") ? 2 : 1), "--snapshots", "Option --snapshots must be at least "
        + (average.equals("multipoint") ? 2 : 1) + ", but it is " + snapshots + ".");
    Specs.require(every >= 1, "--every", "Option --every must be at least 1, but it is " + every + ".");
    long end = spec.training.steps;
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("averages", List.of(average));
    RateScheduleSpec rs = new RateScheduleSpec();
    rs.unit = "step";
    switch (average) {
      case "ema" -> {
        params.put("beta", beta);
        rs.type = "ema";
        rs.beta = beta;
      }
      case "swa" -> {
        long first = end - (long) (snapshots - 1) * every;
        Specs.require(first >= 0, "--snapshots", "Options --snapshots " + snapshots + " and --every " + every
            + " reach back before step 0 from T = " + end + ".");
        params.put("swaEvery", every);
        params.put("swaSnapshots", snapshots);
        params.put("swaStart", first);
        rs.type = "swa";
        rs.snapshots = snapshots;
        rs.every = every;
      }
      case "twopoint" -> {
        params.put("k", k);
        rs.type = "twopoint";
        rs.k = k;
      }
      default -> { // the multi-point average's schedule is the SWA's with c = k
        params.put("multiN", snapshots);
        params.put("multiK", k);
        rs.type = "swa";
        rs.snapshots = snapshots;
        rs.every = k;
      }
    }
    RunSpec a = copy(spec);
    a.name = spec.name + "-constant";
    a.probes = new ArrayList<>(a.probes.stream().filter(p -> !"averaging".equals(p.type)).toList());
    ProbeSpec probe = new ProbeSpec("averaging", new ScheduleSpec());
    probe.schedule.get(0).steps = List.of(end);
    probe.params = params;
    a.probes.add(probe);
    a.checkpoints.end = true;
    RunSpec b = copy(spec);
    b.name = spec.name + "-" + rs.type + "-schedule";
    b.probes = new ArrayList<>(b.probes.stream().filter(p -> !"averaging".equals(p.type)).toList());
    b.optimizer.lrSchedule = rs;
    b.checkpoints.end = true;
    return new Pair(a, b, end);
  }

  private static RunSpec copy(RunSpec s) throws SpecException {
    return Specs.parse(Specs.toJson(s));
  }

  @Override
  public Integer call() {
    RunSpec spec;
    Pair pair;
    try {
      spec = Specs.read(specFile);
      pair = pair(spec);
      cli.runner().check(pair.constant());
      cli.runner().check(pair.schedule());
    } catch (SpecException e) {
      return cli.specErrorCode(e);
    }
    try {
      if (Files.exists(out) && (!Files.isDirectory(out) || Files.list(out).findAny().isPresent())) {
        cli.err().println("[trajlab] The output folder " + out + " must be new or empty.");
        return TrajlabCli.BAD_SPEC;
      }
      Files.createDirectories(out);
    } catch (IOException e) {
      cli.err().println("[trajlab] The output folder " + out + " cannot be created (" + e.getMessage() + ").");
      return TrajlabCli.BAD_SPEC;
    }
    RunFolder fa;
    RunFolder fb;
    try {
      fa = RunFolder.create(out.resolve("a-constant"));
      fb = RunFolder.create(out.resolve("b-schedule"));
    } catch (IOException e) {
      cli.err().println("[trajlab] " + e.getMessage());
      return TrajlabCli.BAD_SPEC;
    }
    for (Object[] r : new Object[][] { { pair.constant(), fa, "(a) constant rate with the " + average + " kept" },
        { pair.schedule(), fb, "(b) the " + average + "'s equivalent schedule" } }) {
      cli.err().println("[trajlab] " + r[2] + " -> " + ((RunFolder) r[1]).dir().toAbsolutePath());
      RunOutcome o;
      try {
        o = cli.runner().run((RunSpec) r[0], (RunFolder) r[1], new ConsoleMonitor(cli.err(), cli.progressIntervalNanos,
            cli.cancelFlag(), null));
      } catch (SpecException e) {
        return cli.specErrorCode(e);
      }
      if (o.state() != RunState.DONE) {
        cli.err().println("[trajlab] " + r[2] + " ended " + o.state().name().toLowerCase() + " after " + o.steps()
            + " updates" + (o.message() == null ? "" : ": " + o.message()));
        return o.state() == RunState.CANCELLED ? TrajlabCli.CANCELLED : o.state() == RunState.DIVERGED ? TrajlabCli.DIVERGED
            : TrajlabCli.FAILED;
      }
    }
    try {
      Map<String, Object> summary = compare(fa, fb, pair.end());
      Specs.json().writerWithDefaultPrettyPrinter().writeValue(out.resolve("summary.json").toFile(), summary);
      cli.out().println(out.toAbsolutePath());
      return TrajlabCli.OK;
    } catch (SpecException e) {
      return cli.specErrorCode(e);
    } catch (IOException e) {
      cli.err().println("[trajlab] the comparison could not be written: " + e.getMessage());
      return TrajlabCli.FAILED;
    }
  }

  /** the side-by-side numbers; writes comparison.csv and returns summary.json's content */
  @SuppressWarnings("unchecked")
  Map<String, Object> compare(RunFolder fa, RunFolder fb, long end) throws IOException, SpecException {
    Map<String, Object> sa = fa.readSummary();
    Map<String, Object> sb = fb.readSummary();
    Map<String, Object> probe = (Map<String, Object>) sa.get("averaging");
    Path ckA = fa.file(String.format("checkpoints/step-%08d", end));
    Path ckB = fb.file(String.format("checkpoints/step-%08d", end));
    Map<String, Object> state = Specs.json().readValue(ckA.resolve("state.json").toFile(), Map.class);
    Map<String, Object> ps = ((Map<String, Map<String, Object>>) state.get("probes")).get("averaging");
    double[] avg = averageOf(new ProbeState(ps), ckA);
    double[] endB = readNpy(ckB.resolve("params.npy"));
    double[] endA = readNpy(ckA.resolve("params.npy"));
    if (avg.length != endB.length) {
      throw new SpecException("--average", "The runs' parameter vectors differ in length (" + avg.length + " and " + endB.length + ").");
    }
    boolean[] keep = new boolean[avg.length];
    java.util.Arrays.fill(keep, true);
    for (Object r : (List<Object>) probe.getOrDefault("statistics_ranges", List.of())) {
      List<Number> range = (List<Number>) r;
      for (int i = range.get(0).intValue(); i < range.get(1).intValue(); i++) keep[i] = false;
    }
    double dist = distance(avg, endB, keep);
    double distConstant = distance(endA, endB, keep);
    double normB = distance(endB, new double[endB.length], keep);

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("average", average);
    m.put("end_step", end);
    m.put("a_constant", fa.dir().toAbsolutePath().toString());
    m.put("b_schedule", fb.dir().toAbsolutePath().toString());
    m.put("schedule", ((Map<String, Object>) Specs.json().convertValue(fb.readSpec().optimizer.lrSchedule, Map.class)));
    List<String> csv = new ArrayList<>();
    csv.add("quantity,a_average,b_schedule_endpoint,difference");
    Map<String, Object> rows = new LinkedHashMap<>();
    for (String key : sb.keySet()) {
      if (!key.startsWith("final_loss_") && !key.startsWith("final_acc_")) continue;
      String q = key.substring("final_".length()); // loss_test
      String kind = q.substring(0, q.indexOf('_'));
      String set = q.substring(q.indexOf('_') + 1);
      Object va = probe.get("final_" + kind + "_" + average + "_" + set);
      if (!(va instanceof Number a) || !(sb.get(key) instanceof Number b)) continue;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("a_average", a.doubleValue());
      r.put("b_schedule_endpoint", b.doubleValue());
      r.put("difference", a.doubleValue() - b.doubleValue());
      if (sa.get(key) instanceof Number c) r.put("a_constant_endpoint", c.doubleValue());
      rows.put(q, r);
      csv.add(String.format(Locale.ROOT, "%s,%.17g,%.17g,%.17g", q, a.doubleValue(), b.doubleValue(), a.doubleValue() - b.doubleValue()));
    }
    m.put("evaluations", rows);
    m.put("param_distance", dist);
    m.put("param_distance_relative", normB == 0 ? null : dist / normB);
    m.put("param_distance_constant_endpoint", distConstant);
    m.put("param_norm_b", normB);
    m.put("batch_norm", probe.get("batch_norm"));
    csv.add(String.format(Locale.ROOT, "param_distance,,,%.17g", dist));
    csv.add(String.format(Locale.ROOT, "param_distance_relative,,,%.17g", normB == 0 ? Double.NaN : dist / normB));
    Files.write(out.resolve("comparison.csv"), csv, StandardCharsets.UTF_8);
    cli.err().println(String.format(Locale.ROOT, "[trajlab] %s at step %d: %s; ‖avg(a) − end(b)‖ = %.4g (%.3g of ‖end(b)‖;"
        + " the constant run's endpoint is %.4g away)", average, end, rowsLine(rows), dist, normB == 0 ? Double.NaN : dist / normB,
        distConstant));
    return m;
  }

  @SuppressWarnings("unchecked")
  private static String rowsLine(Map<String, Object> rows) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> e : rows.entrySet()) {
      Map<String, Object> r = (Map<String, Object>) e.getValue();
      parts.add(String.format(Locale.ROOT, "%s %.5f (average) vs %.5f (schedule)", e.getKey(), r.get("a_average"), r.get("b_schedule_endpoint")));
    }
    return String.join(", ", parts);
  }

  /** (a)'s average from the probe's state in its last checkpoint (the raw average, before any batch-norm recomputation) */
  private double[] averageOf(ProbeState s, Path ck) throws SpecException {
    double[][] v = switch (average) {
      case "ema" -> s.vectors("ema");
      case "swa" -> s.vectors("swaSum");
      case "twopoint" -> s.vectors("twoRing");
      default -> s.vectors("multiRing");
    };
    if (v == null) throw new SpecException("--average", "The checkpoint " + ck + " holds no " + average + " average.");
    if (average.equals("swa")) {
      long n = s.whole("swaCount");
      Specs.require(n == snapshots, "--snapshots", "Run (a) took " + n + " SWA snapshots, not " + snapshots
          + ": the start checkpoint is later than T − (n − 1)·c.");
      double[] m = v[0].clone();
      for (int i = 0; i < m.length; i++) m[i] /= n;
      return m;
    }
    int need = average.equals("twopoint") ? 2 : average.equals("ema") ? 1 : snapshots;
    Specs.require(v.length == need, "--k", "Run (a) kept " + v.length + " of the " + need + " points of the " + average
        + " average: the start checkpoint is too close to T for k = " + k + ".");
    double[] m = new double[v[0].length];
    for (double[] p : v) for (int i = 0; i < m.length; i++) m[i] += p[i];
    for (int i = 0; i < m.length; i++) m[i] /= v.length;
    return m;
  }

  static double distance(double[] a, double[] b, boolean[] keep) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      if (keep[i]) s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }

  /** a 1-D little-endian float32 or float64 .npy file, as the engine writes checkpoints */
  static double[] readNpy(Path f) throws IOException {
    byte[] bytes = Files.readAllBytes(f);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int major = bytes[6];
    int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
    int start = (major == 1 ? 10 : 12) + headerLen;
    String header = new String(bytes, major == 1 ? 10 : 12, headerLen, StandardCharsets.ISO_8859_1);
    boolean f4 = header.contains("<f4");
    if (!f4 && !header.contains("<f8")) throw new IOException(f + " is not a float32 or float64 .npy file");
    int n = (bytes.length - start) / (f4 ? 4 : 8);
    double[] v = new double[n];
    b.position(start);
    for (int i = 0; i < n; i++) v[i] = f4 ? b.getFloat() : b.getDouble();
    return v;
  }
}
