package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.curvature.CurvatureQuantities.CURVATURE;
import static org.trajlab.probes.curvature.CurvatureQuantities.HESSIAN_EIG;
import static org.trajlab.probes.curvature.CurvatureQuantities.HESSIAN_EIG_CONVERGED;
import static org.trajlab.probes.walk.WalkQuantities.LOSS_INTERP;
import static org.trajlab.probes.walk.WalkQuantities.WALK;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.engine.Batches;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.ProbeBatchNorm;
import org.trajlab.engine.data.Datasets;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.data.LoadedData;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.Network;
import org.trajlab.engine.optim.Npy;

/**
 * Batch normalisation measured as SGD experiences it (INSTRUMENTS.md): every probe quantity of a batch-norm model is
 * the mean over a fixed partition of the probe's data into train-mode batches of the run's size S. Checked against
 * the network itself, batch by batch, on a BN MLP and on SimpleCNN-BN: the walk's α = 0 loss is the mean train-mode
 * loss over the same batches (and not the running-statistics loss); a Hessian-vector product is the average of the
 * per-batch products; Lanczos through the curvature probe matches the dense Hessian built from the same products;
 * the mode and S are recorded in spec.json, summary.json and the run log; inference mode is an explicit option.
 */
public class BatchNormProbesTest {
  static final String BN_MLP = "{\"type\":\"mlp\",\"hidden\":[12,8],\"batchNorm\":true}";
  static final String BN_CNN = "{\"type\":\"simplecnn\",\"batchNorm\":true,\"init\":\"relu\"}";
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;
  static Path grey;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
    grey = TestData.writeIdx(tmp.resolve("grey"), 400, 60, 8, 8, 11);
  }

  /** 30 updates of S = 40 with the walk at updates 5 and 20; train-eval 230 = 5 batches of 40 and 30 left out */
  static RunSpec spec(String model, String precision, String batchNormMode) throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"bn\",\"seed\":4,\"precision\":\"" + precision + "\",\"model\":" + model
        + ",\"data\":{\"dataset\":\"mnist\",\"trainEvalSize\":230},\"optimizer\":{\"type\":\"sgd\",\"lr\":0.05},"
        + "\"training\":{\"steps\":30,\"batchSize\":40},\"eval\":{\"every\":5,\"sets\":[\"train-eval\"]},"
        + "\"batchNorm\":{\"mode\":\"" + batchNormMode + "\"},\"checkpoints\":{\"every\":5},"
        + "\"probes\":[{\"type\":\"walk\",\"schedule\":{\"steps\":[5,20]},\"params\":{\"points\":4}}]}");
    s.data.dir = grey.toString();
    return s;
  }

  static RunFolder run(RunSpec s, String name) throws Exception {
    RunFolder f = RunFolder.create(tmp.resolve(name));
    RunOutcome o = runner.run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), name + ": " + o.message());
    return f;
  }

  /** the mean over batches of the network's own train-mode cross-entropy, computed here from its softmax output */
  static double trainModeLoss(Network net, ImageSet data, int[][] batches) {
    double sum = 0;
    int count = 0;
    for (int[] b : batches) {
      INDArray x = Batches.features(data, b, 0, b.length, net.dataType());
      double[] p = net.output(x, true).castTo(DataType.DOUBLE).data().asDouble();
      int k = net.numClasses();
      for (int i = 0; i < b.length; i++) sum -= Math.log(p[i * k + data.labels()[b[i]]]);
      count += b.length;
    }
    return sum / count;
  }

  static double inferenceLoss(Network net, ImageSet data, int[] idx) {
    INDArray x = Batches.features(data, idx, 0, idx.length, net.dataType());
    double[] p = net.output(x, false).castTo(DataType.DOUBLE).data().asDouble();
    int k = net.numClasses();
    double sum = 0;
    for (int i = 0; i < idx.length; i++) sum -= Math.log(p[i * k + data.labels()[idx[i]]]);
    return sum / idx.length;
  }

  /** the run's network at a checkpoint, and the objective the runner builds for it (same partition of views) */
  record AtCheckpoint(Network net, Dl4jObjective objective, ImageSet train, int[] trainEval) {}

  static AtCheckpoint atCheckpoint(RunSpec s, RunFolder f, int step, DataType dt) throws Exception {
    RunSpec resolved = f.readSpec();
    LoadedData data = Datasets.load(resolved.data, resolved.seed);
    InputShape shape = InputShape.flat(1, data.train().rows(), data.train().cols());
    Network net = ModelBatches.build(resolved.model, dt, resolved.seed, shape, 10);
    double[] theta = Npy.read(f.file(String.format("checkpoints/step-%08d/params.npy", step)));
    net.params().assign(Nd4j.createFromArray(theta).reshape(net.params().shape()).castTo(dt));
    int[] trainEval = Batches.trainEval(resolved.seed, data.train().size(), resolved.data.trainEvalSize, true);
    Dl4jObjective o = new Dl4jObjective(net.copy(), () -> ModelBatches.build(resolved.model, DataType.DOUBLE, 0, shape, 10),
        data.train(), data.test(), trainEval, ProbeBatchNorm.train(resolved.batchNorm.batchSize, resolved.seed));
    return new AtCheckpoint(net, o, data.train(), trainEval);
  }

  static double walkStart(RunFolder f, long step) throws Exception {
    return TestData.rows(f, WALK, LOSS_INTERP).stream().filter(r -> r.step() == step && r.index() == 0).findFirst()
        .orElseThrow().value();
  }

  static void walkStartIsTheTrainModeMeanOverBatchesOfS(String model, String name) throws Exception {
    RunSpec s = spec(model, "double", "train");
    RunFolder f = run(s, name);
    // recorded: the resolved spec, the summary, the log
    assertEquals(40, f.readSpec().batchNorm.batchSize);
    assertEquals(Map.of("probes", "train", "batch_size", 40, "eval", "inference"), f.readSummary().get("batch_norm"));
    assertTrue(java.nio.file.Files.readString(f.file(RunFolder.LOG)).contains("train mode, means over fixed seeded batches of 40"));
    for (int step : new int[] { 5, 20 }) {
      AtCheckpoint c = atCheckpoint(s, f, step, DataType.DOUBLE);
      int[][] batches = c.objective().batches(c.objective().view("train-eval"));
      assertEquals(5, batches.length, "230 examples: 5 batches of 40, 30 left out");
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      for (int[] b : batches) {
        assertEquals(40, b.length);
        for (int i : b) assertTrue(seen.add(i), "the batches are disjoint");
      }
      double expected = trainModeLoss(c.net(), c.train(), batches);
      double recorded = walkStart(f, step);
      assertEquals(expected, recorded, 1e-12 * Math.abs(expected), name + " step " + step + ": the walk's alpha = 0 loss");
      // and it is not the running-statistics loss, which the eval rows report
      double inference = inferenceLoss(c.net(), c.train(), c.trainEval());
      double evalRow = TestData.rows(f, "eval", "loss_train_eval").stream().filter(r -> r.step() == step).findFirst().orElseThrow().value();
      assertEquals(inference, evalRow, 1e-12 * Math.abs(inference), name + " step " + step + ": the eval row");
      assertTrue(Math.abs(expected - inference) > 1e-6 * Math.abs(inference),
          name + ": train-mode and inference losses differ here (" + expected + " vs " + inference + ")");
    }
  }

  @Test
  public void walkOnBatchNormMlpMeasuresTrainModeBatchesOfS() throws Exception {
    walkStartIsTheTrainModeMeanOverBatchesOfS(BN_MLP, "walk-bn-mlp");
  }

  @Test
  public void walkOnSimpleCnnBnMeasuresTrainModeBatchesOfS() throws Exception {
    walkStartIsTheTrainModeMeanOverBatchesOfS(BN_CNN, "walk-bn-cnn");
  }

  /** inference mode, asked for: the walk's α = 0 loss is the running-statistics loss, as the eval row */
  @Test
  public void inferenceModeIsAnExplicitOption() throws Exception {
    RunFolder f = run(spec(BN_MLP, "double", "inference"), "walk-bn-inference");
    assertEquals(Map.of("probes", "inference", "eval", "inference"), f.readSummary().get("batch_norm"));
    for (long step : new long[] { 5, 20 }) {
      double evalRow = TestData.rows(f, "eval", "loss_train_eval").stream().filter(r -> r.step() == step).findFirst().orElseThrow().value();
      assertEquals(evalRow, walkStart(f, step), 1e-12 * Math.abs(evalRow));
    }
    // gradients of batch norm exist in train mode only: a curvature probe is refused in one sentence
    RunSpec bad = spec(BN_MLP, "double", "inference");
    bad.probes = Specs.parse("{\"probes\":[{\"type\":\"curvature\",\"params\":{\"k\":2}}]}").probes;
    SpecException e = assertThrows(SpecException.class, () -> runner.check(bad));
    assertEquals("batchNorm.mode", e.field());
    assertTrue(e.getMessage().contains("probe 'curvature' (probes[0]) needs gradients"), e.getMessage());
  }

  static double[] maskedRandom(Dl4jObjective o, long seed) {
    boolean[] t = o.trainable();
    Random r = new Random(seed);
    double[] v = new double[t.length];
    for (int i = 0; i < v.length; i++) v[i] = t[i] ? r.nextGaussian() : 0;
    return v;
  }

  static void productIsTheAverageOfPerBatchProducts(String model, String name) throws Exception {
    RunSpec s = spec(model, "float", "train");
    RunFolder f = run(s, name);
    AtCheckpoint c = atCheckpoint(s, f, 20, DataType.FLOAT);
    Dl4jObjective o = c.objective();
    double[] theta = c.net().params().toDoubleVector();
    DataView view = o.view("train-eval");
    int[][] batches = o.batches(view);
    double[] v = maskedRandom(o, 7);
    double[] whole = new double[v.length];
    o.hessianVector(view, theta, v, whole);
    double[] mean = new double[v.length];
    double[] part = new double[v.length];
    for (int b = 0; b < batches.length; b++) {
      DataView one = o.batch("batch-" + b, batches[b]);
      assertEquals(1, o.batches(one).length, "a batch of exactly S is one batch");
      o.hessianVector(one, theta, v, part);
      for (int i = 0; i < v.length; i++) mean[i] += part[i] / batches.length;
    }
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      diff += (whole[i] - mean[i]) * (whole[i] - mean[i]);
      norm += mean[i] * mean[i];
    }
    assertTrue(norm > 0);
    assertTrue(Math.sqrt(diff / norm) < 1e-6, name + ": |Hv - mean_b H_b v| / |mean_b H_b v| = " + Math.sqrt(diff / norm));
    // the gradient likewise
    double[] g = new double[v.length];
    o.gradient(view, theta, g);
    double[] gm = new double[v.length];
    for (int b = 0; b < batches.length; b++) {
      o.gradient(o.batch("batch-" + b, batches[b]), theta, part);
      for (int i = 0; i < v.length; i++) gm[i] += part[i] / batches.length;
    }
    for (int i = 0; i < v.length; i++) assertEquals(gm[i], g[i], 1e-12 + 1e-9 * Math.abs(gm[i]), name + " gradient entry " + i);
  }

  @Test
  public void hessianVectorProductOnBatchNormMlpIsTheAverageOfPerBatchProducts() throws Exception {
    productIsTheAverageOfPerBatchProducts(BN_MLP, "hvp-bn-mlp");
  }

  @Test
  public void hessianVectorProductOnSimpleCnnBnIsTheAverageOfPerBatchProducts() throws Exception {
    productIsTheAverageOfPerBatchProducts(BN_CNN, "hvp-bn-cnn");
  }

  /**
   * A probe-only run of the curvature probe on a tiny BN MLP (4x4 inputs, hidden 6 and 5) from a checkpoint: its top
   * eigenvalues are those of the dense Hessian built here from one product per parameter over the same train-mode
   * batches.
   */
  @Test
  public void lanczosOnBatchNormMlpMatchesTheDenseHessianOfTheSameProducts() throws Exception {
    Path small = TestData.writeIdx(tmp.resolve("small"), 300, 40, 4, 4, 5);
    String model = "{\"type\":\"mlp\",\"hidden\":[6,5],\"batchNorm\":true}";
    RunSpec train = Specs.parse("{\"name\":\"bn-small\",\"seed\":2,\"precision\":\"double\",\"model\":" + model
        + ",\"data\":{\"dataset\":\"mnist\",\"trainEvalSize\":100},\"optimizer\":{\"lr\":0.1},\"training\":{\"steps\":40,\"batchSize\":25},"
        + "\"eval\":{\"every\":40,\"sets\":[\"train-eval\"]},\"checkpoints\":{\"end\":true}}");
    train.data.dir = small.toString();
    RunFolder trained = run(train, "bn-small-train");
    RunSpec probe = Specs.copy(train);
    probe.name = "bn-small-probe";
    probe.training.steps = 0L;
    probe.start.checkpoint = trained.file("checkpoints/step-00000040").toString();
    probe.probes = Specs.parse("{\"probes\":[{\"type\":\"curvature\",\"params\":{\"view\":\"train-eval\",\"k\":4,\"tol\":1e-9,"
        + "\"maxHvps\":2000,\"lossAlongTop\":false,\"stepTest\":false}}]}").probes;
    RunFolder f = run(probe, "bn-small-probe");
    double[] eig = TestData.rows(f, CURVATURE, HESSIAN_EIG).stream().mapToDouble(MetricRow::value).toArray();
    assertEquals(4, eig.length);

    AtCheckpoint c = atCheckpoint(train, trained, 40, DataType.DOUBLE);
    Dl4jObjective o = c.objective();
    double[] theta = c.net().params().toDoubleVector();
    DataView view = o.view("train-eval");
    assertEquals(4, o.batches(view).length);
    boolean[] t = o.trainable();
    int[] idx = java.util.stream.IntStream.range(0, t.length).filter(i -> t[i]).toArray();
    assertEquals(2 * (6 + 5), t.length - idx.length, "running mean and variance of two BN layers are not parameters");
    double[][] h = new double[idx.length][idx.length];
    double[] e = new double[t.length];
    double[] col = new double[t.length];
    for (int j = 0; j < idx.length; j++) {
      e[idx[j]] = 1;
      o.hessianVector(view, theta, e, col);
      e[idx[j]] = 0;
      for (int i = 0; i < idx.length; i++) h[i][j] = col[idx[i]];
    }
    double asym = 0;
    double scale = 0;
    for (int i = 0; i < idx.length; i++) {
      for (int j = 0; j < idx.length; j++) {
        asym = Math.max(asym, Math.abs(h[i][j] - h[j][i]));
        scale = Math.max(scale, Math.abs(h[i][j]));
      }
    }
    assertTrue(asym < 1e-6 * scale, "the products form a symmetric matrix: " + asym + " of " + scale);
    double[][] sym = new double[idx.length][idx.length];
    for (int i = 0; i < idx.length; i++) {
      for (int j = 0; j < idx.length; j++) sym[i][j] = (h[i][j] + h[j][i]) / 2;
    }
    double[] dense = new EigenDecomposition(new Array2DRowRealMatrix(sym, false)).getRealEigenvalues().clone();
    Double[] byMagnitude = java.util.Arrays.stream(dense).boxed().sorted((a, b) -> Double.compare(Math.abs(b), Math.abs(a)))
        .toArray(Double[]::new);
    for (int i = 0; i < 4; i++) {
      assertEquals(byMagnitude[i], eig[i], 1e-6 * Math.abs(byMagnitude[0]), "lambda_" + (i + 1));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> cs = (Map<String, Object>) f.readSummary().get(CURVATURE);
    assertEquals("train", cs.get("batch_norm_mode"));
    List<MetricRow> conv = TestData.rows(f, CURVATURE, HESSIAN_EIG_CONVERGED);
    for (MetricRow r : conv) assertEquals(1.0, r.value(), "pair " + r.index() + " converged");
  }
}
