package org.trajlab.probes.embedding.internal;

import static org.trajlab.probes.embedding.EmbeddingQuantities.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeState;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.probe.StepContext;

/**
 * The trajectory embedding of paper 004's Fig. 1 (INSTRUMENTS.md section 5): at each scheduled update t the model at
 * θ_t predicts class probabilities for the same examples (the test set, or a seeded subset of {@code examples} of
 * it: {@link org.trajlab.api.objective.Objective#probabilities}, the deployed model, batch normalisation with its
 * running statistics); the probe keeps them, flattened, in float precision. When the run finishes it fits a 2-D UMAP
 * map to all of them at once ({@link TrajectoryEmbedding}) and writes {@code embedding_x} and {@code embedding_y} at
 * each measured step t, so the map needs no rows but its own to be drawn and every other quantity (λ₁ᴷ, λ₁ᴴ,
 * training accuracy) can colour it. The summary names the method, the library and every setting. A map is fitted to
 * at least {@value TrajectoryEmbedding#MIN_POINTS} measured steps; with fewer the log and the summary say so.
 * <p>
 * The state (for resume) holds every kept prediction as base64 of little-endian floats: 4·n·K·4/3 bytes per measured
 * step (53 KB for 1,000 examples of 10 classes), so a resumed run fits the same map to the same points.
 */
public final class EmbeddingProbe implements Probe {
  private final Schedule schedule;
  private final String set;
  private final int examples;
  private final int neighbours;
  private final double minDist;
  private final int epochs;
  private final Long seedParam;

  private DataView view;
  /** the view positions whose predictions are kept, ascending */
  private int[] positions;
  private long seed;
  private final List<Long> steps = new ArrayList<>();
  private final List<Integer> epochsOfSteps = new ArrayList<>();
  private final List<float[]> predictions = new ArrayList<>();
  private int classes;
  private long nanos;

  public EmbeddingProbe(Schedule schedule, String set, int examples, int neighbours, double minDist, int epochs,
      Long seed) {
    this.schedule = schedule;
    this.set = set;
    this.examples = examples;
    this.neighbours = neighbours;
    this.minDist = minDist;
    this.epochs = epochs;
    this.seedParam = seed;
  }

  @Override
  public String id() {
    return EMBEDDING;
  }

  @Override
  public void start(RunContext run) {
    view = run.objective().view(set);
    seed = seedParam != null ? seedParam : run.spec().seed;
    positions = subset(view.size(), examples, seed);
  }

  /** {@code k} of the positions 0 .. n − 1, drawn with {@code seed}, ascending (all of them when k is 0 or ≥ n) */
  public static int[] subset(int n, int k, long seed) {
    if (k <= 0 || k >= n) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) all[i] = i;
      return all;
    }
    return org.trajlab.api.probe.Sampling.distinct(n, k, new SplittableRandom(seed));
  }

  @Override
  public boolean isDue(long step, int epoch) {
    return schedule.due(step, epoch);
  }

  @Override
  public void onStep(StepContext step, RunContext run) {
    long t0 = System.nanoTime();
    double[][] p = run.objective().probabilities(view, step.theta());
    classes = p[0].length;
    float[] flat = new float[positions.length * classes];
    for (int i = 0; i < positions.length; i++) {
      double[] row = p[positions[i]];
      for (int c = 0; c < classes; c++) flat[i * classes + c] = (float) row[c];
    }
    steps.add(step.step());
    epochsOfSteps.add(step.epoch());
    predictions.add(flat);
    nanos += System.nanoTime() - t0;
  }

  @Override
  public Map<String, Object> finish(RunContext run) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", "UMAP");
    m.put("library", "Tag.bio Java UMAP (tech.molecules:external-umap-java 1.0), one thread");
    m.put("set", set);
    m.put("examples", positions.length);
    m.put("classes", classes);
    m.put("points", steps.size());
    int n = steps.size();
    int k = TrajectoryEmbedding.neighboursFor(neighbours, n);
    m.put("neighbours", k);
    m.put("min_dist", minDist);
    m.put("epochs", epochs == 0 ? "umap default" : epochs);
    m.put("seed", seed);
    m.put("metric", "euclidean");
    double measuring = nanos / 1e9;
    m.put("seconds_predicting", measuring);
    if (n < TrajectoryEmbedding.MIN_POINTS) {
      String why = "embedding: " + n + " measured steps, too few for a map (at least " + TrajectoryEmbedding.MIN_POINTS
          + "); no rows written";
      run.log(why);
      m.put("seconds_embedding", 0.0);
      m.put("note", why);
      return m;
    }
    long t0 = System.nanoTime();
    double[][] xy = TrajectoryEmbedding.embed(predictions.toArray(float[][]::new),
        new TrajectoryEmbedding.Settings(neighbours, minDist, epochs, seed));
    double fitting = (System.nanoTime() - t0) / 1e9;
    for (int i = 0; i < n; i++) {
      MetricSink out = run.sink(EMBEDDING, steps.get(i), epochsOfSteps.get(i));
      out.record(EMBEDDING_X, xy[i][0]);
      out.record(EMBEDDING_Y, xy[i][1]);
    }
    m.put("seconds_embedding", fitting);
    run.log(String.format(Locale.ROOT, "embedding: UMAP of %d steps x %d examples x %d classes (%s, seed %d, %d neighbours,"
        + " min_dist %.3g) in %.2f s; predictions took %.2f s", n, positions.length, classes, set, seed, k, minDist,
        fitting, measuring));
    return m;
  }

  @Override
  public Map<String, Object> saveState() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("steps", new ArrayList<>(steps));
    m.put("epochs", new ArrayList<>(epochsOfSteps));
    m.put("classes", classes);
    m.put("predictions", predictions.stream().map(EmbeddingProbe::encode).toList());
    m.put("nanos", nanos);
    return m;
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    ProbeState s = new ProbeState(state);
    steps.clear();
    epochsOfSteps.clear();
    predictions.clear();
    for (double t : s.numbers("steps")) steps.add((long) t);
    for (double e : s.numbers("epochs")) epochsOfSteps.add((int) e);
    classes = (int) s.whole("classes");
    if (!(state.get("predictions") instanceof List<?> l) || l.size() != steps.size()) {
      throw new IllegalArgumentException("the probe state's 'predictions' is not one base64 string per step");
    }
    for (Object o : l) predictions.add(decode((String) o));
    nanos = s.whole("nanos", 0);
  }

  /** base64 of v's little-endian IEEE floats */
  static String encode(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(b.array());
  }

  /** the floats {@link #encode} wrote */
  static float[] decode(String s) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[b.remaining() / 4];
    b.asFloatBuffer().get(v);
    return v;
  }

  /** the measured steps so far, in order */
  public List<Long> steps() {
    return List.copyOf(steps);
  }

  /** the view positions whose predictions are kept */
  public int[] positions() {
    return positions.clone();
  }
}
