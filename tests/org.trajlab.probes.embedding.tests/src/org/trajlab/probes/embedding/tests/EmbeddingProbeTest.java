package org.trajlab.probes.embedding.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.embedding.EmbeddingQuantities.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Evaluation;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.StepContext;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.store.MetricRow;
import org.trajlab.probes.embedding.internal.EmbeddingProbe;
import org.trajlab.probes.embedding.internal.EmbeddingProbeFactory;
import org.trajlab.probes.embedding.internal.TrajectoryEmbedding;
import org.trajlab.testing.QuadraticRun;

/**
 * The probe on a model whose predictions are known in closed form: 100 test examples, 3 classes, p_i = softmax(θ +
 * o_i) with fixed seeded offsets o_i. It keeps the predictions of its seeded subset at each scheduled step and, at
 * the end, writes embedding_x and embedding_y at exactly those steps: the UMAP map of exactly those predictions. A
 * probe resumed from its saved state in the middle writes the same rows bit for bit.
 */
public class EmbeddingProbeTest {
  static final int N = 100;
  static final int K = 3;

  /** a run context whose objective predicts softmax(θ + o_i) for example i; everything else from a QuadraticRun */
  static final class SoftmaxRun implements RunContext {
    final QuadraticRun base = new QuadraticRun(new double[K], new double[K]);
    final double[][] offsets = new double[N][K];
    int calls;

    SoftmaxRun() {
      Random r = new Random(3);
      for (double[] o : offsets) for (int c = 0; c < K; c++) o[c] = 0.3 * r.nextGaussian();
      base.spec.seed = 42;
    }

    double[][] predict(double[] theta) {
      double[][] p = new double[N][K];
      for (int i = 0; i < N; i++) {
        double sum = 0;
        for (int c = 0; c < K; c++) sum += p[i][c] = Math.exp(theta[c] + offsets[i][c]);
        for (int c = 0; c < K; c++) p[i][c] /= sum;
      }
      return p;
    }

    final Objective objective = new Objective() {
      @Override
      public int numParams() {
        return K;
      }

      @Override
      public DataView view(String name) {
        return base.view(name); // 100 examples
      }

      @Override
      public DataView batch(String name, int[] trainIndices) {
        return base.batch(name, trainIndices);
      }

      @Override
      public Evaluation evaluate(DataView view, double[] theta) {
        return base.evaluate(view, theta);
      }

      @Override
      public double gradient(DataView view, double[] theta, double[] out) {
        return base.gradient(view, theta, out);
      }

      @Override
      public String precision() {
        return "double";
      }

      @Override
      public double[][] probabilities(DataView view, double[] theta) {
        assertEquals("test", view.name());
        calls++;
        return predict(theta);
      }
    };

    @Override
    public RunSpec spec() {
      return base.spec;
    }

    @Override
    public Objective objective() {
      return objective;
    }

    @Override
    public double[] theta0() {
      return base.theta0();
    }

    @Override
    public long totalSteps() {
      return 100;
    }

    @Override
    public MetricSink sink(String probe, long step, int epoch) {
      return base.sink(probe, step, epoch);
    }

    @Override
    public void log(String line) {
      base.log(line);
    }
  }

  /** θ_t: first along class 0, then turning to class 2, a trajectory with a bend */
  static double[] theta(long t) {
    return t < 50 ? new double[] { t / 10.0, 0, 0 } : new double[] { 5 - (t - 50) / 10.0, 0, (t - 50) / 10.0 };
  }

  static Probe probe(Map<String, Object> params) throws SpecException {
    ProbeSpec s = new ProbeSpec(EMBEDDING, ScheduleSpec.range(0, 99, 10));
    s.params.putAll(params);
    return new EmbeddingProbeFactory().create(s, "probes[0]");
  }

  static final Map<String, Object> PARAMS = Map.of("examples", 40, "neighbours", 4, "epochs", 200);

  /** runs steps from..to (those due) through {@code p} */
  static void measure(Probe p, SoftmaxRun run, long from, long to) throws Exception {
    for (long t = from; t <= to; t++) {
      if (p.isDue(t, 1)) {
        StepContext step = run.base.step(t, theta(t), 0.1, 10, null);
        p.onStep(step, run);
      }
    }
  }

  static List<MetricRow> rows(SoftmaxRun run, String quantity) {
    return run.base.rows.stream().filter(r -> r.probe().equals(EMBEDDING) && r.quantity().equals(quantity)).toList();
  }

  @Test
  public void writesTheMapOfTheKeptPredictionsAtEveryMeasuredStep() throws Exception {
    SoftmaxRun run = new SoftmaxRun();
    EmbeddingProbe p = (EmbeddingProbe) probe(PARAMS);
    p.start(run);
    int[] positions = p.positions();
    assertEquals(40, positions.length);
    assertArrayEquals(EmbeddingProbe.subset(N, 40, 42), positions, "the subset is drawn with the run's seed");
    measure(p, run, 0, 99);
    assertEquals(10, run.calls);
    assertTrue(run.base.rows.isEmpty(), "rows before the run finished");
    Map<String, Object> summary = p.finish(run);

    List<Long> steps = List.of(0L, 10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L);
    List<MetricRow> xs = rows(run, EMBEDDING_X);
    List<MetricRow> ys = rows(run, EMBEDDING_Y);
    assertEquals(steps, xs.stream().map(MetricRow::step).toList());
    assertEquals(steps, ys.stream().map(MetricRow::step).toList());
    // the map of exactly the kept predictions: the subset's rows of softmax(θ_t + o_i), flattened, in float
    float[][] points = new float[steps.size()][];
    for (int s = 0; s < steps.size(); s++) {
      double[][] pr = run.predict(theta(steps.get(s)));
      points[s] = new float[positions.length * K];
      for (int i = 0; i < positions.length; i++) {
        for (int c = 0; c < K; c++) points[s][i * K + c] = (float) pr[positions[i]][c];
      }
    }
    double[][] xy = TrajectoryEmbedding.embed(points, new TrajectoryEmbedding.Settings(4, 0.1, 200, 42));
    for (int s = 0; s < steps.size(); s++) {
      assertEquals(xy[s][0], xs.get(s).value(), 0.0, "x at step " + steps.get(s));
      assertEquals(xy[s][1], ys.get(s).value(), 0.0, "y at step " + steps.get(s));
    }
    assertEquals("UMAP", summary.get("method"));
    assertEquals(10, summary.get("points"));
    assertEquals(40, summary.get("examples"));
    assertEquals(K, summary.get("classes"));
    assertEquals(4, summary.get("neighbours"));
    assertEquals(42L, summary.get("seed"));
    assertTrue(run.base.log.stream().anyMatch(l -> l.startsWith("embedding: UMAP of 10 steps x 40 examples x 3 classes")),
        run.base.log.toString());
  }

  @Test
  public void aResumedProbeWritesTheSameRows() throws Exception {
    SoftmaxRun whole = new SoftmaxRun();
    Probe p = probe(PARAMS);
    p.start(whole);
    measure(p, whole, 0, 99);
    p.finish(whole);

    SoftmaxRun first = new SoftmaxRun();
    Probe before = probe(PARAMS);
    before.start(first);
    measure(before, first, 0, 49);
    Map<String, Object> state = before.saveState();
    // the state as a checkpoint's state.json gives it back: lists of boxed numbers, strings
    Map<String, Object> reread = new java.util.LinkedHashMap<>(state);
    reread.put("steps", new ArrayList<Object>((List<?>) state.get("steps")));
    SoftmaxRun second = new SoftmaxRun();
    Probe after = probe(PARAMS);
    after.start(second);
    after.restoreState(reread);
    measure(after, second, 50, 99);
    after.finish(second);
    assertEquals(5, second.calls, "the resumed probe measured only the steps after the checkpoint");
    assertEquals(whole.base.rows, second.base.rows);
  }

  @Test
  public void tooFewStepsWriteNoRowsAndSaySo() throws Exception {
    SoftmaxRun run = new SoftmaxRun();
    Probe p = probe(PARAMS);
    p.start(run);
    measure(p, run, 0, 15); // steps 0 and 10
    Map<String, Object> summary = p.finish(run);
    assertTrue(run.base.rows.isEmpty());
    assertEquals("embedding: 2 measured steps, too few for a map (at least 3); no rows written", summary.get("note"));
  }

  @Test
  public void paramsAreChecked() throws Exception {
    SpecException e = assertThrows(SpecException.class, () -> probe(Map.of("set", "train-full")));
    assertTrue(e.getMessage().contains("probes[0].params.set"), e.getMessage());
    e = assertThrows(SpecException.class, () -> probe(Map.of("minDist", 2.0)));
    assertTrue(e.getMessage().contains("from 0 to 1"), e.getMessage());
    e = assertThrows(SpecException.class, () -> probe(Map.of("perplexity", 30)));
    assertTrue(e.getMessage().contains("Unknown field 'perplexity'"), e.getMessage());
    // the whole view when examples is 0 or at least its size; a seeded subset otherwise, different for another seed
    assertEquals(N, EmbeddingProbe.subset(N, 0, 1).length);
    assertEquals(N, EmbeddingProbe.subset(N, 500, 1).length);
    assertNotEquals(java.util.Arrays.toString(EmbeddingProbe.subset(N, 10, 1)),
        java.util.Arrays.toString(EmbeddingProbe.subset(N, 10, 2)));
  }
}
