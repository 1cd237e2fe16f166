package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.averaging.AveragingQuantities.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.trajlab.api.objective.ParameterBlock;
import org.trajlab.api.objective.WeightMatrix;
import org.trajlab.api.probe.ProbeState;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.engine.Batches;
import org.trajlab.engine.data.Datasets;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.data.LoadedData;
import org.trajlab.engine.optim.Npy;
import org.trajlab.testing.Fixtures;

/**
 * The averaging probe and the equivalent schedules of paper 003 through the whole engine: Lemma 2 exact on the
 * quadratic without restoring force (gradients that do not depend on θ), the stationary spread of SGD on the quadratic
 * growing like sqrt(η) and the EMA shrinking fast coordinates far more than slow ones, batch-norm statistics
 * recomputed by hand, a resumed run bit-identical, and a short pair on Fashion-MNIST.
 */
public class AveragingRunsTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
    if (BatchNormProbesTest.grey == null) BatchNormProbesTest.grey = TestData.writeIdx(tmp.resolve("grey"), 400, 60, 8, 8, 11);
  }

  static RunFolder run(RunSpec s, String name) throws Exception {
    RunFolder f = RunFolder.create(tmp.resolve(name));
    RunOutcome o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), name + ": " + o.message());
    return f;
  }

  /** an average the probe kept, from its state in the checkpoint at {@code step} (bit for bit) */
  @SuppressWarnings("unchecked")
  static double[] kept(RunFolder f, long step, String key) throws Exception {
    Map<String, Object> state = Specs.json().readValue(f.file(String.format("checkpoints/step-%08d/state.json", step)).toFile(), Map.class);
    Map<String, Object> probe = ((Map<String, Map<String, Object>>) state.get("probes")).get(AVERAGING);
    return new ProbeState(probe).vectors(key)[0];
  }

  static double row(RunFolder f, String probe, String q, long step) throws Exception {
    return TestData.rows(f, probe, q).stream().filter(r -> r.step() == step).findFirst()
        .orElseThrow(() -> new AssertionError("no " + probe + " " + q + " at step " + step)).value();
  }

  static double maxAbsDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }

  static double norm(double[] a) {
    double s = 0;
    for (double x : a) s += x * x;
    return Math.sqrt(s);
  }

  // ---------------------------------------------------------------- Lemma 2

  static final String LINEAR = "{\"name\":\"lin\",\"precision\":\"double\",\"model\":{\"type\":\"quadratic\",\"init\":\"normal\"},"
      + "\"data\":{\"dataset\":\"quadratic\",\"quadratic\":{\"dim\":6,\"fast\":1.0,\"slow\":0.05,\"fastCount\":2,"
      + "\"sigma\":0.5,\"samples\":400,\"testSamples\":100,\"linear\":true},\"trainEvalSize\":400},"
      + "\"optimizer\":{\"type\":\"sgd\",\"lr\":0.1},\"training\":{\"steps\":20,\"batchSize\":10},"
      + "\"eval\":{\"every\":20,\"sets\":[\"train-eval\",\"test\"]},\"checkpoints\":{\"end\":true}}";

  /**
   * From one checkpoint at update 20: (a) constant η to T = 80 with the average kept and (b) the equivalent schedule
   * on the same batches; the average of (a) and the endpoint of (b) coincide (and so do their losses).
   */
  void averageIsTheEquivalentSchedulesEndpoint(String average, String probeParams, String schedule) throws Exception {
    RunFolder base = run(Specs.parse(LINEAR), "lin-base-" + average);
    String start = base.file("checkpoints/step-00000020").toString();
    RunSpec a = Specs.parse(LINEAR);
    a.training.steps = 80L;
    a.start = Specs.json().readValue("{\"checkpoint\":\"" + start + "\"}", org.trajlab.api.spec.StartSpec.class);
    a.eval.every = 60;
    a.probes = List.of(Specs.json().readValue("{\"type\":\"averaging\",\"schedule\":{\"steps\":[80]},\"params\":{\"averages\":[\""
        + (average.equals("multipoint") ? "multipoint" : average) + "\"]," + probeParams + "}}", org.trajlab.api.spec.ProbeSpec.class));
    RunSpec b = Specs.parse(LINEAR);
    b.training.steps = 80L;
    b.start = a.start;
    b.eval.every = 60;
    b.optimizer.lrSchedule = Specs.json().readValue(schedule, org.trajlab.api.spec.RateScheduleSpec.class);
    RunFolder fa = run(a, "lin-a-" + average);
    RunFolder fb = run(b, "lin-b-" + average);
    double[] avg;
    switch (average) {
      case "ema" -> avg = kept(fa, 80, "ema");
      case "swa" -> {
        double[] sum = kept(fa, 80, "swaSum");
        long n = new ProbeState(stateOf(fa)).whole("swaCount");
        assertEquals(5, n, "snapshots at 48, 56, 64, 72, 80");
        avg = new double[sum.length];
        for (int i = 0; i < sum.length; i++) avg[i] = sum[i] / n;
      }
      default -> avg = probeAverage(fa, average);
    }
    double[] endpoint = Npy.read(fb.file("checkpoints/step-00000080/params.npy"));
    double[] constantEnd = Npy.read(fa.file("checkpoints/step-00000080/params.npy"));
    double gap = maxAbsDiff(avg, endpoint);
    double spread = maxAbsDiff(constantEnd, endpoint);
    double lossA = row(fa, AVERAGING, loss(average, "train-eval"), 80);
    double lossB = row(fb, "eval", "loss_train_eval", 80);
    System.out.printf(java.util.Locale.ROOT, "Lemma 2, %s: max |avg(a) - end(b)| = %.3e (the constant run's own end is %.3e away);"
        + " train-eval loss %.12f vs %.12f%n", average, gap, spread, lossA, lossB);
    assertTrue(gap <= 1e-10, average + ": the average and the equivalent schedule's endpoint differ by " + gap);
    assertTrue(spread > 1e-3, "the schedule matters: the constant run ends elsewhere (" + spread + ")");
    assertEquals(lossB, lossA, 1e-10 * Math.max(1, Math.abs(lossB)), average + ": the losses coincide");
  }

  /** two- and multi-point averages are means of ring points; their rows' losses are checked against (b) */
  static double[] probeAverage(RunFolder fa, String average) throws Exception {
    double[][] ring = new ProbeState(stateOf(fa)).vectors(average.equals(TWOPOINT) ? "twoRing" : "multiRing");
    double[] m = new double[ring[0].length];
    for (double[] p : ring) for (int i = 0; i < m.length; i++) m[i] += p[i];
    for (int i = 0; i < m.length; i++) m[i] /= ring.length;
    return m;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> stateOf(RunFolder f) throws Exception {
    Map<String, Object> state = Specs.json().readValue(f.file("checkpoints/step-00000080/state.json").toFile(), Map.class);
    return ((Map<String, Map<String, Object>>) state.get("probes")).get(AVERAGING);
  }

  @Test
  public void lemma2IsExactForTheEma() throws Exception {
    averageIsTheEquivalentSchedulesEndpoint(EMA, "\"beta\":0.9", "{\"type\":\"ema\",\"unit\":\"step\",\"beta\":0.9}");
  }

  @Test
  public void lemma2IsExactForSwa() throws Exception {
    // 5 snapshots every 8 updates ending at T = 80: 48, 56, 64, 72, 80
    averageIsTheEquivalentSchedulesEndpoint(SWA, "\"swaEvery\":8,\"swaSnapshots\":5,\"swaStart\":48",
        "{\"type\":\"swa\",\"unit\":\"step\",\"snapshots\":5,\"every\":8}");
  }

  @Test
  public void lemma2IsExactForTheTwoPointAverage() throws Exception {
    averageIsTheEquivalentSchedulesEndpoint(TWOPOINT, "\"k\":15", "{\"type\":\"twopoint\",\"unit\":\"step\",\"k\":15}");
  }

  @Test
  public void lemma2IsExactForTheMultiPointAverageAsSwaWithCEqualK() throws Exception {
    averageIsTheEquivalentSchedulesEndpoint(MULTIPOINT, "\"multiN\":4,\"multiK\":7",
        "{\"type\":\"swa\",\"unit\":\"step\",\"snapshots\":4,\"every\":7}");
  }

  // ---------------------------------------------------------------- the quadratic's stationary regime

  static String quadratic(double lr, long steps, double slow, int fastCount, String probes) {
    return "{\"name\":\"quad\",\"seed\":5,\"precision\":\"double\",\"model\":{\"type\":\"quadratic\",\"init\":\"zero\"},"
        + "\"data\":{\"dataset\":\"quadratic\",\"quadratic\":{\"dim\":10,\"fast\":1.0,\"slow\":" + slow + ",\"fastCount\":"
        + fastCount + ",\"sigma\":1.0,\"samples\":20000,\"testSamples\":100},\"trainEvalSize\":20000,\"trainEvalSelection\":\"first\"},"
        + "\"optimizer\":{\"type\":\"sgd\",\"lr\":" + lr + "},\"training\":{\"steps\":" + steps + ",\"batchSize\":10},"
        + "\"eval\":{\"every\":10,\"sets\":[\"train-eval\"]},\"checkpoints\":{\"end\":false},\"probes\":[" + probes + "]}";
  }

  /** L(θ*) on the whole training set: θ* is the mean of the samples (stored as FLOAT), L* = ½ Σ_j a_j var_j */
  static double[] minimumAndLoss(RunSpec s, double[] a) throws Exception {
    LoadedData data = Datasets.load(s.data, s.seed);
    double[] x = data.quadratic().train().x();
    int d = a.length;
    int n = x.length / d;
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += (float) x[i * d + j];
    for (int j = 0; j < d; j++) mean[j] /= n;
    double l = 0;
    for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) {
      double dx = (float) x[i * d + j] - mean[j];
      l += 0.5 * a[j] * dx * dx;
    }
    return new double[] { l / n };
  }

  /** the mean excess loss L − L* over the eval rows from {@code from} on (quantity of the probe) */
  static double meanExcess(RunFolder f, String probe, String q, long from, double lStar) throws Exception {
    List<MetricRow> rows = TestData.rows(f, probe, q).stream().filter(r -> r.step() >= from).toList();
    double s = 0;
    for (MetricRow r : rows) s += r.value() - lStar;
    return s / rows.size();
  }

  /** the least-squares slope of log y over log x */
  static double logLogSlope(double[] x, double[] y) {
    int n = x.length;
    double mx = 0, my = 0;
    for (int i = 0; i < n; i++) {
      mx += Math.log(x[i]) / n;
      my += Math.log(y[i]) / n;
    }
    double sxy = 0, sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (Math.log(x[i]) - mx) * (Math.log(y[i]) - my);
      sxx += (Math.log(x[i]) - mx) * (Math.log(x[i]) - mx);
    }
    return sxy / sxx;
  }

  @Test
  public void theStationaryDistanceToTheMinimumGrowsLikeSqrtEta() throws Exception {
    // every coordinate fast (a = 1): L(θ) − L* = ½‖θ − θ*‖², so the distance is sqrt(2 (L − L*)), read from the eval rows
    // epochs of 2,000 updates, long against the relaxation time 1/(2η): sampling without replacement makes an epoch's
    // noise sum to zero, which shrinks the spread when an epoch is not much longer than that time
    double[] lrs = { 0.01, 0.02, 0.04, 0.08 };
    double[] dist = new double[lrs.length];
    double[] a = new double[10];
    java.util.Arrays.fill(a, 1.0);
    for (int i = 0; i < lrs.length; i++) {
      long burnIn = (long) (5 / lrs[i]); // 5 relaxation times 1/(η a)
      RunSpec s = Specs.parse(quadratic(lrs[i], burnIn + 6000, 1.0, 10, ""));
      RunFolder f = run(s, "sqrt-eta-" + i);
      double lStar = minimumAndLoss(s, a)[0];
      dist[i] = Math.sqrt(2 * meanExcess(f, "eval", "loss_train_eval", burnIn, lStar));
    }
    double exponent = logLogSlope(lrs, dist);
    System.out.printf(java.util.Locale.ROOT, "stationary distance to the minimum over eta %s: %s; fitted exponent %.3f%n",
        java.util.Arrays.toString(lrs), java.util.Arrays.toString(dist), exponent);
    // theory for SGD with batch S: E‖θ − θ*‖² = d σ² η / (S (2 − η)), so the distance ≈ sqrt(η d σ² / 2S)
    for (int i = 0; i < lrs.length; i++) {
      double expected = Math.sqrt(lrs[i] * 10 / (10 * (2 - lrs[i])));
      assertEquals(expected, dist[i], 0.15 * expected, "eta " + lrs[i]);
    }
    assertTrue(exponent > 0.4 && exponent < 0.6, "the distance grows like eta^" + exponent);
  }

  /**
   * Two quadratics, one all fast (a = 1), one all slow (a = 0.05), the same η and β: the EMA's excess loss over the
   * current point's, in the stationary regime, is (1−β)(1+βρ)/((1+β)(1−βρ)) for the AR(1) coefficient ρ = 1 − ηa of
   * each coordinate: 0.087 fast, 0.67 slow.
   */
  @Test
  public void theEmaShrinksTheFastCoordinatesFarMoreThanTheSlowOnes() throws Exception {
    double lr = 0.1;
    double beta = 0.99;
    String probe = "{\"type\":\"averaging\",\"schedule\":{\"every\":10},\"params\":{\"averages\":[\"ema\"],\"beta\":0.99,\"sets\":[\"train-eval\"]}}";
    double[] ratio = new double[2];
    for (int kind = 0; kind < 2; kind++) {
      double aj = kind == 0 ? 1.0 : 0.05;
      RunSpec s = Specs.parse(quadratic(lr, 8000, 0.05, kind == 0 ? 10 : 0, probe));
      RunFolder f = run(s, "ema-" + (kind == 0 ? "fast" : "slow"));
      double[] a = new double[10];
      java.util.Arrays.fill(a, aj);
      double lStar = minimumAndLoss(s, a)[0];
      long from = 2000;
      double point = meanExcess(f, "eval", "loss_train_eval", from, lStar);
      double ema = meanExcess(f, AVERAGING, loss(EMA, "train-eval"), from, lStar);
      ratio[kind] = ema / point;
      double rho = 1 - lr * aj;
      double theory = (1 - beta) * (1 + beta * rho) / ((1 + beta) * (1 - beta * rho));
      System.out.printf(java.util.Locale.ROOT, "EMA (beta %.2f) on %s coordinates (a = %.2f): excess loss %.4g of the point's %.4g,"
          + " ratio %.3f (AR(1) theory %.3f)%n", beta, kind == 0 ? "fast" : "slow", aj, ema, point, ratio[kind], theory);
      assertEquals(theory, ratio[kind], 0.35 * theory, "the ratio of excess losses");
    }
    assertTrue(ratio[0] < 0.2 && ratio[1] > 0.4 && ratio[1] / ratio[0] > 4,
        "the EMA removes most of the fast coordinates' spread and little of the slow ones': " + ratio[0] + " vs " + ratio[1]);
  }

  // ---------------------------------------------------------------- batch norm recomputed

  static final String BN_TINY = "{\"type\":\"mlp\",\"hidden\":[4,3],\"batchNorm\":true}";

  /**
   * Dl4jObjective.withRecomputedBatchNorm on a 64-4-3-10 batch-norm MLP after 12 updates, against the statistics
   * computed here: for each of the objective's batches of S = 40, the first layer's pre-activations z = xW, their batch
   * mean and population variance, the train-mode normalisation, ReLU, and the second layer's the same way; the
   * recomputed statistics are the means over the batches, every other entry is θ's.
   */
  @Test
  public void recomputedBatchNormStatisticsAreTheMeanOfTheBatchStatisticsByHand() throws Exception {
    RunSpec s = BatchNormProbesTest.spec(BN_TINY, "double", "train");
    s.probes = List.of();
    s.training.steps = 12L;
    s.checkpoints.every = 12;
    RunFolder f = run(s, "bn-recompute");
    BatchNormProbesTest.AtCheckpoint c = BatchNormProbesTest.atCheckpoint(s, f, 12, DataType.DOUBLE);
    var objective = c.objective();
    double[] theta = Npy.read(f.file("checkpoints/step-00000012/params.npy"));
    var view = objective.view("train-eval");
    double[] got = objective.withRecomputedBatchNorm(theta, view);

    List<WeightMatrix> ws = objective.weightMatrices();
    List<ParameterBlock> blocks = objective.parameterBlocks();
    ParameterBlock[] bn = new ParameterBlock[8]; // gamma, beta, mean, var of the two layers, by offset
    List<ParameterBlock> bnBlocks = blocks.stream().filter(b -> b.name().matches(".*_(gamma|beta|mean|var)"))
        .sorted(java.util.Comparator.comparingLong(ParameterBlock::offset)).toList();
    assertEquals(8, bnBlocks.size(), blocks.toString());
    for (int i = 0; i < 8; i++) bn[i] = bnBlocks.get(i);
    int[][] batches = objective.batches(view);
    assertEquals(5, batches.length, "230 train-eval examples: 5 batches of 40");
    ImageSet train = c.train();
    double[][] sums = { new double[4], new double[4], new double[3], new double[3] };
    for (int[] batch : batches) {
      INDArray xa = Batches.features(train, batch, 0, batch.length, DataType.DOUBLE);
      double[][] x = xa.toDoubleMatrix();
      double[][] h = x;
      for (int layer = 0; layer < 2; layer++) {
        WeightMatrix w = ws.get(layer);
        double[][] z = new double[h.length][w.cols()];
        for (int i = 0; i < h.length; i++) for (int u = 0; u < w.cols(); u++) {
          double v = 0;
          for (int r = 0; r < w.rows(); r++) v += h[i][r] * w.get(theta, r, u);
          z[i][u] = v;
        }
        double[] gamma = bn[4 * layer].of(theta);
        double[] betaV = bn[4 * layer + 1].of(theta);
        assertTrue(bn[4 * layer].name().endsWith("gamma") && bn[4 * layer + 2].name().endsWith("mean")
            && bn[4 * layer + 3].name().endsWith("var"), bnBlocks.toString());
        double[][] next = new double[h.length][w.cols()];
        for (int u = 0; u < w.cols(); u++) {
          double mu = 0;
          for (double[] row : z) mu += row[u] / z.length;
          double var = 0;
          for (double[] row : z) var += (row[u] - mu) * (row[u] - mu) / z.length;
          sums[2 * layer][u] += mu;
          sums[2 * layer + 1][u] += var;
          for (int i = 0; i < z.length; i++) next[i][u] = Math.max(0, gamma[u] * (z[i][u] - mu) / Math.sqrt(var + 1e-5) + betaV[u]);
        }
        h = next;
      }
    }
    double[] expected = theta.clone();
    for (int layer = 0; layer < 2; layer++) {
      for (int stat = 0; stat < 2; stat++) {
        ParameterBlock b = bn[4 * layer + 2 + stat];
        for (int u = 0; u < b.length(); u++) expected[(int) b.offset() + u] = sums[2 * layer + stat][u] / batches.length;
      }
    }
    double err = maxAbsDiff(expected, got);
    double moved = maxAbsDiff(theta, expected);
    System.out.printf(java.util.Locale.ROOT, "batch norm recomputed: max |by hand - objective| = %.3e; the statistics moved by %.3e%n", err, moved);
    assertTrue(err < 1e-9, "recomputed statistics differ from the hand computation by " + err);
    assertTrue(moved > 1e-3, "the running statistics after 12 updates are not the mean batch statistics (" + moved + ")");
    // every parameter entry is θ's
    boolean[] trainable = objective.trainable();
    for (int i = 0; i < theta.length; i++) if (trainable[i]) assertEquals(theta[i], got[i], 0.0);
  }

  // ---------------------------------------------------------------- resume

  /** a batch-norm MLP with every average (statistics recomputed at each evaluation), cancelled and resumed */
  @Test
  public void aResumedRunWithTheAveragingProbeIsBitIdentical() throws Exception {
    RunSpec s = BatchNormProbesTest.spec(BatchNormProbesTest.BN_MLP, "float", "train");
    s.training.steps = 40L;
    s.eval.sets = List.of("train-eval", "test");
    s.probes = List.of(Specs.json().readValue("{\"type\":\"averaging\",\"schedule\":{\"every\":6},\"params\":{\"beta\":0.9,"
        + "\"swaEvery\":4,\"k\":6,\"multiN\":3,\"multiK\":3}}", org.trajlab.api.spec.ProbeSpec.class));
    RunFolder whole = run(s, "avg-whole");
    RunFolder broken = RunFolder.create(tmp.resolve("avg-broken"));
    RunOutcome first = runner.run(s, broken, new RunMonitor() {
      @Override
      public boolean isCancelled() {
        try {
          return TestData.rows(broken, "train", "loss_batch").size() >= 23;
        } catch (Exception e) {
          return true;
        }
      }
    });
    assertEquals(RunState.CANCELLED, first.state());
    RunOutcome rest = runner.resume(broken, RunMonitor.NONE);
    assertEquals(RunState.DONE, rest.state(), rest.message());
    List<String> a = Files.readAllLines(whole.file(RunFolder.METRICS));
    List<String> b = Files.readAllLines(broken.file(RunFolder.METRICS));
    assertEquals(a, b, "every row of the resumed run");
    List<MetricRow> rows = TestData.rows(whole, AVERAGING, loss(EMA, "test"));
    assertEquals(List.of(6L, 12L, 18L, 24L, 30L, 36L, 40L), rows.stream().map(MetricRow::step).toList());
    // two- and multi-point rows only where the schedule meets their points, which count back from T = 40 by k: at 40
    assertEquals(List.of(40L), TestData.rows(whole, AVERAGING, acc(TWOPOINT, "test")).stream().map(MetricRow::step).toList());
    assertEquals(List.of(40L), TestData.rows(whole, AVERAGING, acc(MULTIPOINT, "test")).stream().map(MetricRow::step).toList());
    assertTrue(whole.readSummary().toString().contains("recomputed on train-eval"), "the summary says how BN was treated");
  }

  // ---------------------------------------------------------------- Fashion-MNIST

  /**
   * Paper 003's comparison on the Fashion-MNIST MLP, short: 100 updates of SGD (η = 0.1) on 5,000 examples, then from
   * that checkpoint 200 updates (a) at constant η with the EMA (β = 0.98) and (b) the EMA's equivalent schedule on the
   * same batches. The gradients change along the way, so the points are close, not equal.
   */
  @Test
  public void onFashionMnistTheEmaAndItsScheduleEndClose() throws Exception {
    String spec = "{\"name\":\"fm\",\"seed\":3,\"model\":{\"hidden\":[100]},\"data\":{\"dir\":\"" + Fixtures.fashionMnistDir()
        + "\",\"trainSize\":5000,\"trainEvalSize\":2000,\"testSize\":2000},\"optimizer\":{\"type\":\"sgd\",\"lr\":0.1},"
        + "\"training\":{\"steps\":100,\"batchSize\":50},\"eval\":{\"every\":100,\"sets\":[\"train-eval\",\"test\"]},"
        + "\"checkpoints\":{\"end\":true}}";
    RunFolder base = run(Specs.parse(spec), "fm-base");
    RunSpec a = Specs.parse(spec);
    a.training.steps = 300L;
    a.start = Specs.json().readValue("{\"checkpoint\":\"" + base.file("checkpoints/step-00000100") + "\"}", org.trajlab.api.spec.StartSpec.class);
    a.eval.every = 200;
    a.probes = List.of(Specs.json().readValue("{\"type\":\"averaging\",\"schedule\":{\"steps\":[300]},\"params\":{\"averages\":[\"ema\"],"
        + "\"beta\":0.98}}", org.trajlab.api.spec.ProbeSpec.class));
    RunSpec b = Specs.parse(spec);
    b.training.steps = 300L;
    b.start = a.start;
    b.eval.every = 200;
    b.optimizer.lrSchedule = Specs.json().readValue("{\"type\":\"ema\",\"unit\":\"step\",\"beta\":0.98}", org.trajlab.api.spec.RateScheduleSpec.class);
    RunFolder fa = run(a, "fm-a");
    RunFolder fb = run(b, "fm-b");
    double[] avg = kept(fa, 300, "ema");
    double[] endB = Npy.read(fb.file("checkpoints/step-00000300/params.npy"));
    double[] endA = Npy.read(fa.file("checkpoints/step-00000300/params.npy"));
    double[] start = Npy.read(base.file("checkpoints/step-00000100/params.npy"));
    double rel = dist(avg, endB) / norm(endB);
    double relConstant = dist(endA, endB) / norm(endB);
    double travelled = dist(start, endB) / norm(endB);
    double lossA = row(fa, AVERAGING, loss(EMA, "test"), 300);
    double lossB = row(fb, "eval", "loss_test", 300);
    double lossConst = row(fa, "eval", "loss_test", 300);
    double accA = row(fa, AVERAGING, acc(EMA, "test"), 300);
    double accB = row(fb, "eval", "acc_test", 300);
    System.out.printf(java.util.Locale.ROOT, "Fashion-MNIST EMA pair: test loss (a) EMA %.5f vs (b) schedule %.5f (|diff| %.2e; the"
        + " constant run's endpoint %.5f); test acc %.4f vs %.4f; |avg(a) - end(b)|/|end(b)| = %.3e (constant endpoint %.3e,"
        + " the checkpoint %.3e)%n", lossA, lossB, Math.abs(lossA - lossB), lossConst, accA, accB, rel, relConstant, travelled);
    assertTrue(rel < 0.5 * relConstant, "the average is much closer to the schedule's endpoint than the constant run's endpoint is");
    assertTrue(Math.abs(lossA - lossB) < 0.5 * Math.abs(lossConst - lossB) || Math.abs(lossA - lossB) < 0.01,
        "the losses are close: " + lossA + " vs " + lossB + " (constant " + lossConst + ")");
  }

  static double dist(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return Math.sqrt(s);
  }
}
