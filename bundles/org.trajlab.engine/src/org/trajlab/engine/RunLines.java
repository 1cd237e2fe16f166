package org.trajlab.engine;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.nd4j.linalg.api.buffer.DataType;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Evaluation;
import org.trajlab.api.run.LineRequest;
import org.trajlab.api.run.LineResult;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.engine.data.DataShape;
import org.trajlab.engine.data.Datasets;

/**
 * Lines between runs (paper 002 §3, INSTRUMENTS.md §3): L((1 − α)θ_A + αθ_B) and the accuracy for α on a grid in
 * [−1, 2], on train-eval and test. Endpoints are run folders (their latest checkpoint: the final one of a finished
 * run) or checkpoint folders. The data, the train-eval subset and the precision are A's; batch normalisation's
 * running statistics are recomputed on training data at every α ({@code update_bn}); losses and accuracies are then
 * the deployed model's (running statistics, as the {@code eval} rows), so α = 0 of a model without batch
 * normalisation repeats A's recorded eval row exactly.
 */
final class RunLines {
  static final String LINES = "lines.csv";
  static final String SUMMARY = "summary.json";

  /** an endpoint: the run folder it belongs to, its spec and its checkpoint */
  record Endpoint(Path given, Path run, RunSpec spec, Checkpoints.Loaded checkpoint) {
    String id() {
      return run.getFileName() + "@" + checkpoint.dir().getFileName();
    }
  }

  private RunLines() {}

  /**
   * The α grid: {@code points} values evenly spaced from {@code from} to {@code to}, with 0 and 1 added when they
   * lie in the range and are not grid points already (so the endpoints are always measured), in increasing order.
   */
  static double[] alphaGrid(double from, double to, int points) {
    TreeSet<Double> grid = new TreeSet<>();
    for (int i = 0; i < points; i++) {
      double a = points == 1 ? from : from + (to - from) * i / (points - 1);
      grid.add(Math.abs(a) < 1e-12 ? 0.0 : Math.abs(a - 1) < 1e-12 ? 1.0 : a);
    }
    if (from <= 0 && to >= 0) grid.add(0.0);
    if (from <= 1 && to >= 1) grid.add(1.0);
    return grid.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** θ(α) = (1 − α)θ_A + αθ_B */
  static double[] interpolate(double[] thetaA, double[] thetaB, double alpha) {
    double[] t = new double[thetaA.length];
    for (int i = 0; i < t.length; i++) t[i] = (1 - alpha) * thetaA[i] + alpha * thetaB[i];
    return t;
  }

  /**
   * The barrier of a line: max over the grid's α in (0, 1) of L(α) − max(L(0), L(1)); 0 when no interior point is
   * above both ends (or the grid has no interior point).
   */
  static double barrier(double[] alphas, double[] loss) {
    double l0 = Double.NaN;
    double l1 = Double.NaN;
    for (int i = 0; i < alphas.length; i++) {
      if (alphas[i] == 0) l0 = loss[i];
      if (alphas[i] == 1) l1 = loss[i];
    }
    double ends = Math.max(l0, l1);
    double b = 0;
    for (int i = 0; i < alphas.length; i++) {
      if (alphas[i] > 0 && alphas[i] < 1) b = Math.max(b, loss[i] - ends);
    }
    return b;
  }

  /** reads an endpoint: a run folder (its latest checkpoint) or a checkpoint folder inside a run */
  static Endpoint endpoint(Path p, String which) throws SpecException {
    Path run;
    Path ck;
    if (Files.isRegularFile(p.resolve(RunFolder.SPEC))) {
      run = p;
      try {
        ck = Checkpoints.latest(RunFolder.open(p));
      } catch (IOException e) {
        throw new SpecException(which, "The run " + p + " cannot be read (" + e.getMessage() + ").");
      }
      Specs.require(ck != null, which, "The run " + p + " has no checkpoint, so its parameters are not kept; runs"
          + " write one at the end unless their spec sets checkpoints.end to false");
    } else if (Files.isRegularFile(p.resolve(Checkpoints.STATE))) {
      ck = p;
      Path parent = p.toAbsolutePath().getParent();
      run = parent == null ? null : parent.getParent();
      Specs.require(run != null && Files.isRegularFile(run.resolve(RunFolder.SPEC)), which, "The checkpoint " + p
          + " is not inside a trajlab run (RUN/checkpoints/step-NNNNNNNN), so its model and data are unknown");
    } else {
      throw new SpecException(which, "The folder " + p + " (" + which + ") is neither a trajlab run nor a checkpoint"
          + " folder" + (Files.exists(p) ? "" : ": it does not exist") + ".");
    }
    RunSpec spec;
    try {
      spec = RunFolder.open(run).readSpec();
    } catch (IOException e) {
      throw new SpecException(which, "The run " + run + " cannot be read: spec.json (" + e.getMessage() + ").");
    }
    RunPlan.resolveDefaults(spec);
    return new Endpoint(p, run, spec, Checkpoints.read(ck, which));
  }

  static LineResult compute(LineRequest r) throws SpecException {
    Specs.require(r.points() >= 2 && r.points() <= 10_000, "--points", "The number of points must be between 2 and"
        + " 10000, not " + r.points());
    Specs.require(Double.isFinite(r.from()) && Double.isFinite(r.to()) && r.from() < r.to(), "--from", "The α range"
        + " must run from a smaller to a larger finite number, not from " + r.from() + " to " + r.to());
    Specs.require(r.sets() != null && !r.sets().isEmpty(), "--sets", "Name at least one set (train-eval, test,"
        + " train-full)");
    for (String s : r.sets()) Specs.oneOf("--sets", s, List.of("train-eval", "test", "train-full"));
    Specs.oneOf("--bn-data", r.batchNormView(), List.of("train-full", "train-eval"));
    Endpoint a = endpoint(r.a(), "A");
    Endpoint b = endpoint(r.b(), "B");
    String modelA = a.checkpoint().state().model;
    String modelB = b.checkpoint().state().model;
    Specs.require(modelA.equals(modelB) && a.checkpoint().params().length == b.checkpoint().params().length, "B",
        "The runs " + a.id() + " and " + b.id() + " are of different models (" + modelA + " with "
            + a.checkpoint().params().length + " parameters and " + modelB + " with " + b.checkpoint().params().length
            + "); a line between runs needs one model");
    Specs.require(a.spec().data.dataset.equals(b.spec().data.dataset), "B", "The runs " + a.id() + " and " + b.id()
        + " were trained on different data (" + a.spec().data.dataset + " and " + b.spec().data.dataset + ")");
    Path out = r.out();
    Specs.require(out != null, "--out", "Give the folder the line goes to (--out DIR)");
    try {
      Specs.require(!Files.exists(out) || Files.isDirectory(out) && isEmpty(out), "--out", "The folder " + out
          + " is not empty; give a new or empty folder");
    } catch (IOException e) {
      throw new SpecException("--out", "The folder " + out + " cannot be read (" + e.getMessage() + ").");
    }
    RunSpec spec = a.spec();
    DataShape shape = Datasets.check(spec.data, spec.seed);
    RunData data = new RunData(spec, Datasets.load(spec.data, shape, spec.seed));
    DataType dt = "double".equals(spec.precision) ? DataType.DOUBLE : DataType.FLOAT;
    long t0 = System.nanoTime();
    try {
      return org.trajlab.dl4j.Nd4jSetup.withNd4jLoader(() -> run(r, a, b, data.objective(data.network(dt)), t0));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static LineResult run(LineRequest r, Endpoint a, Endpoint b, Dl4jObjective objective, long t0) {
    double[] alphas = alphaGrid(r.from(), r.to(), r.points());
    double[] ta = a.checkpoint().params();
    double[] tb = b.checkpoint().params();
    boolean bn = !"none".equals(objective.batchNormMode());
    DataView bnView = objective.view(r.batchNormView());
    Map<String, double[]> loss = new LinkedHashMap<>();
    Map<String, double[]> acc = new LinkedHashMap<>();
    for (String s : r.sets()) {
      loss.put(s, new double[alphas.length]);
      acc.put(s, new double[alphas.length]);
    }
    for (int i = 0; i < alphas.length; i++) {
      double[] theta = interpolate(ta, tb, alphas[i]);
      if (bn) theta = objective.withRecomputedBatchNorm(theta, bnView);
      for (String s : r.sets()) {
        Evaluation e = objective.evaluateInference(objective.view(s), theta);
        loss.get(s)[i] = e.loss();
        acc.get(s)[i] = e.accuracy();
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    try {
      write(r, a, b, alphas, loss, acc, bn, bn ? objective.recomputeBatchPositions(bnView).length : 0, seconds);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("the folder " + r.out() + " cannot be written (" + e.getMessage() + ")", e);
    }
    return new LineResult(r.out(), alphas, loss, acc, List.copyOf(r.sets()));
  }

  private static void write(LineRequest r, Endpoint a, Endpoint b, double[] alphas, Map<String, double[]> loss,
      Map<String, double[]> acc, boolean bn, int bnBatches, double seconds) throws IOException {
    Files.createDirectories(r.out());
    try (Writer w = Files.newBufferedWriter(r.out().resolve(LINES), StandardCharsets.UTF_8)) {
      w.write("alpha,set,quantity,value\n");
      for (int i = 0; i < alphas.length; i++) {
        for (String s : r.sets()) {
          w.write(alphas[i] + "," + s + ",loss," + loss.get(s)[i] + "\n");
          w.write(alphas[i] + "," + s + ",acc," + acc.get(s)[i] + "\n");
        }
      }
    }
    Map<String, Object> sum = new LinkedHashMap<>();
    sum.put("a", endpointSummary(a));
    sum.put("b", endpointSummary(b));
    sum.put("line", "theta(alpha) = (1 - alpha) * theta_A + alpha * theta_B");
    sum.put("points", alphas.length);
    sum.put("from", r.from());
    sum.put("to", r.to());
    sum.put("alphas", alphas);
    sum.put("sets", r.sets());
    sum.put("data", "A's: " + a.spec().data.dataset + ", train-eval of A's seed " + a.spec().seed);
    sum.put("precision", a.spec().precision);
    Map<String, Object> bnInfo = new LinkedHashMap<>();
    bnInfo.put("model_has_batch_norm", bn);
    if (bn) {
      bnInfo.put("running_statistics", "recomputed at every alpha (update_bn): exact mean over train-mode batches of"
          + " each batch's mean and population variance");
      bnInfo.put("view", r.batchNormView());
      bnInfo.put("batch_size", a.spec().batchNorm.batchSize != null ? a.spec().batchNorm.batchSize
          : a.spec().training.batchSize);
      bnInfo.put("batches", bnBatches);
    }
    bnInfo.put("evaluation", "inference (running statistics), as the eval rows");
    sum.put("batch_norm", bnInfo);
    Map<String, Object> per = new LinkedHashMap<>();
    for (String s : r.sets()) {
      double[] l = loss.get(s);
      int min = 0;
      for (int i = 1; i < l.length; i++) if (l[i] < l[min]) min = i;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("loss_min", l[min]);
      m.put("alpha_min", alphas[min]);
      m.put("barrier", barrier(alphas, l));
      per.put(s, m);
    }
    sum.put("per_set", per);
    sum.put("seconds", seconds);
    Specs.writeJson(r.out().resolve(SUMMARY), sum);
  }

  private static Map<String, Object> endpointSummary(Endpoint e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("run", e.run().toAbsolutePath().toString());
    m.put("checkpoint", e.checkpoint().dir().toAbsolutePath().toString());
    m.put("step", e.checkpoint().state().step);
    m.put("model", e.checkpoint().state().model);
    m.put("seed", e.spec().seed);
    m.put("lr", e.spec().optimizer.lr);
    m.put("batch_size", e.spec().training.batchSize);
    m.put("noise_scale", e.spec().optimizer.lr / e.spec().training.batchSize);
    return m;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
