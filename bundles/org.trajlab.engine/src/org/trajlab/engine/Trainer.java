package org.trajlab.engine;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.objective.Evaluation;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.probe.GradientTransform;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.StepContext;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricsWriter;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStatus;
import org.trajlab.api.store.RunWriteException;
import org.trajlab.engine.data.LoadedData;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;
import org.trajlab.engine.models.QuadraticNetwork;
import org.trajlab.engine.optim.Optimizer;
import org.trajlab.engine.optim.RateSchedule;

/**
 * One run: updates applied by the engine to the flat parameter vector (optimizer, learning-rate and batch-size
 * schedules, full-batch and noisy gradient descent, gradient transforms of probes), evaluation and probes on their
 * schedules, checkpoints, everything written to the run folder as it happens.
 * <p>
 * Numbering: row {@code step} = updates done. Rows about update t (train, walk) are written at step t with the
 * update's 1-based epoch; evaluation rows at step s describe theta_s (epoch 0 before the first update).
 * All randomness is a function of (seed, epoch) or (seed, update), so a resumed run needs no generator state.
 */
final class Trainer implements RunContext {
  private static final long STATUS_EVERY_NANOS = 1_000_000_000L;

  private final RunSpec spec;
  private final LoadedData data;
  private final List<Probe> probes;
  private final RunFolder folder;
  private final RunMonitor monitor;

  private final ImageSet train;
  private final int n;
  private final DataType dt;
  private final boolean fullBatch;
  private final boolean noisy;
  private final RateSchedule lrSchedule;
  private final RateSchedule batchMirror;
  private final Optimizer optimizer;
  private long totalSteps;
  private Network net;
  /** 1 for parameters, 0 for batch-norm running statistics; null when the model has none */
  private INDArray mask;
  private Dl4jObjective objective;
  private double[] theta0;
  private MetricsWriter metrics;
  private final RunStatus status = new RunStatus();

  // the position in the run; a checkpoint stores exactly these
  private long t;
  private int epoch = 1;
  private int pos;
  private long seen;
  private double noiseVariance = Double.NaN; // gd-noise: sigma^2, measured once at the start
  private INDArray prevG;
  // the run's clock: time before this process (a resumed run's) + this process's, and the update the run started at
  private double secondsBefore;
  private long startedNanos;
  private long firstStep;

  Trainer(RunSpec spec, LoadedData data, List<Probe> probes, RunFolder folder, RunMonitor monitor) throws SpecException {
    this.spec = spec;
    this.data = data;
    this.probes = probes;
    this.folder = folder;
    this.monitor = monitor;
    this.train = data.isQuadratic() ? samplesAsRows(data.quadratic().train()) : data.train();
    this.n = train.size();
    this.dt = ModelZoo.dataType(spec.precision);
    this.fullBatch = spec.optimizer.type.startsWith("gd");
    this.noisy = spec.optimizer.type.equals("gd-noise");
    this.optimizer = new Optimizer(spec.optimizer);
    long planned = spec.training.steps != null ? spec.training.steps : -1;
    double runEpochs = runEpochs(spec, n);
    this.lrSchedule = new RateSchedule(spec.optimizer.lrSchedule, spec.optimizer.lr, runEpochs, "optimizer.lrSchedule");
    this.batchMirror = spec.training.batchSchedule != null && "mirror".equals(spec.training.batchSchedule.type)
        ? new RateSchedule(spec.training.batchSchedule.of, spec.optimizer.lr, runEpochs, "training.batchSchedule.of") : null;
    checkSchedules(spec, lrSchedule);
    this.totalSteps = planned >= 0 ? planned : plan(spec.training.epochs);
  }

  /** schedule checks that need the spec as a whole (also run by the runner's check before anything starts) */
  static void checkSchedules(RunSpec spec, RateSchedule lrSchedule) throws SpecException {
    if (lrSchedule.perStep() && spec.optimizer.lrSchedule != null && "trapezoid".equals(spec.optimizer.lrSchedule.type)
        && spec.optimizer.lrSchedule.length == null) {
      throw new SpecException("optimizer.lrSchedule.length", "Field 'optimizer.lrSchedule.length' must be given for a trapezoid counted in steps.");
    }
    if (lrSchedule.isPlateau()) {
      String set = lrSchedule.monitoredSet();
      Specs.require(spec.eval.sets.contains(set), "optimizer.lrSchedule.monitor", "Field 'optimizer.lrSchedule.monitor' is "
          + lrSchedule.monitor() + " but eval.sets does not evaluate '" + set + "'; add it to eval.sets");
    }
  }

  /** the batch size of the update at step t, at example {@code p} of 1-based epoch {@code e}'s permutation */
  private int batchSizeAt(long step, int e, int p) {
    if (fullBatch) return n;
    if (batchMirror == null) return spec.training.batchSize;
    return RateSchedule.mirroredBatch(spec.training.batchSize, spec.optimizer.lr, batchMirror.value(position(batchMirror, step, e, p)), n);
  }

  /** full batches of size S in one epoch (a last partial batch is dropped) */
  private int batchesPerEpoch(int batchSize) {
    return fullBatch ? 1 : Math.max(1, n / batchSize);
  }

  /**
   * The run's length in epochs (a schedule's default length, e.g. the trapezoid's): training.epochs, or
   * training.steps over the batches an epoch holds (N / S full batches; one for full-batch descent)
   */
  static double runEpochs(RunSpec spec, int n) {
    if (spec.training.steps == null) return spec.training.epochs;
    int perEpoch = spec.optimizer.type.startsWith("gd") ? 1 : Math.max(1, n / spec.training.batchSize);
    return (double) spec.training.steps / perEpoch;
  }

  /**
   * Where a schedule reads the update at step t, at example p of 1-based epoch e: t for schedules counted in steps;
   * for schedules counted in epochs, the epochs completed plus the fraction of this epoch's batches done,
   * {@link RateSchedule#epochPosition} — so a change "at epoch 100" happens exactly at the first update of epoch 101,
   * however many examples the dropped partial batches leave out (examples seen / N would fall behind by that much
   * every epoch). With a batch-size schedule the number of batches per epoch varies; the fraction is then p / N.
   */
  private double position(RateSchedule schedule, long step, int e, int p) {
    if (schedule.perStep()) return step;
    if (batchMirror != null) return (e - 1) + (double) p / n;
    int size = fullBatch ? n : spec.training.batchSize;
    return RateSchedule.epochPosition(e, p / size, batchesPerEpoch(size));
  }

  /** updates in {@code epochs} epochs: an epoch ends when its permutation cannot supply the next batch */
  private long plan(int epochs) {
    long steps = 0;
    int p = 0;
    int e = 1;
    while (true) {
      int b = batchSizeAt(steps, e, p);
      if (p + b > n) {
        e++;
        p = 0;
        b = batchSizeAt(steps, e, p);
      }
      if (e > epochs) return steps;
      p += b;
      steps++;
    }
  }

  /** a fresh run, or one that starts from a checkpoint of another run */
  RunOutcome run(Checkpoints.Loaded start) throws IOException {
    setUp(start == null ? null : start.params());
    if (start != null) {
      if (start.theta0() != null) theta0 = start.theta0();
      position(start, spec.start.optimizerState);
      // zero steps from a checkpoint: a probe-only run at the checkpoint's point (its update count kept)
      if ((spec.training.steps != null && spec.training.steps == 0) || (spec.training.steps == null && spec.training.epochs == 0)) {
        totalSteps = t;
      }
      folder.log("start from checkpoint " + start.dir() + " at update " + t);
    }
    firstStep = t;
    folder.writeEnvironment(EnvironmentInfo.collect(data, spec.precision));
    if (data.corruption().count() > 0) {
      java.nio.file.Files.write(folder.file("corrupted_labels.csv"), data.corruptionTable());
    }
    metrics = folder.openMetrics();
    return loop(true, start == null ? null : start.dir().toString());
  }

  /** continue this run from its checkpoint: metrics cut back to the checkpoint, probe state restored */
  RunOutcome resume(Checkpoints.Loaded ck) throws IOException {
    setUp(ck.params());
    theta0 = ck.theta0();
    position(ck, true);
    firstStep = ck.state().firstStep == null ? 0 : ck.state().firstStep;
    secondsBefore = ck.state().seconds == null ? 0 : ck.state().seconds;
    try (RandomAccessFile f = new RandomAccessFile(folder.file(RunFolder.METRICS).toFile(), "rw")) {
      f.setLength(ck.state().metricsBytes);
    }
    for (Probe p : probes) {
      Map<String, Object> s = ck.state().probes.get(p.id());
      if (s != null) p.restoreState(s);
    }
    folder.log("resume from " + ck.dir() + " at update " + t);
    metrics = folder.openMetrics();
    return loop(false, ck.dir().toString());
  }

  private void setUp(double[] params) {
    net = build(dt);
    if (params != null) {
      net.params().assign(Nd4j.createFromArray(params).reshape(net.params().shape()).castTo(dt));
    }
    mask = net.hasBatchNorm() ? net.trainableMask().reshape(net.params().shape()) : null;
    optimizer.mask(mask);
    int[] trainEval = Batches.trainEval(spec.seed, n, spec.data.trainEvalSize, "random".equals(spec.data.trainEvalSelection));
    ImageSet test = data.isQuadratic() ? samplesAsRows(data.quadratic().test()) : data.test();
    ImageSet heldOut = data.isQuadratic() ? samplesAsRows(data.quadratic().heldOut()) : data.heldOut();
    objective = new Dl4jObjective(net.copy(), () -> build(DataType.DOUBLE), train, test, trainEval, probeBatchNorm(spec));
    if (heldOut != null) objective.addView("held-out", heldOut, null);
    if (data.corruption().count() > 0) {
      objective.addView("train-clean", train, data.cleanIndices());
      objective.addView("train-noisy", train, data.corruptedIndices());
    }
    theta0 = net.params().toDoubleVector();
  }

  /** the spec's batchNorm (the runner resolved its batch size) */
  static ProbeBatchNorm probeBatchNorm(RunSpec spec) {
    int size = spec.batchNorm.batchSize != null ? spec.batchNorm.batchSize : spec.training.batchSize;
    return "inference".equals(spec.batchNorm.mode) ? ProbeBatchNorm.inference() : ProbeBatchNorm.train(size, spec.seed);
  }

  /** the spec's model from the zoo, its parameters drawn from the run's seed (the runner checked the spec) */
  private Network build(DataType type) {
    if (data.isQuadratic()) {
      return new QuadraticNetwork(data.quadratic().model().eigenvalues(), type, spec.model.init, spec.seed);
    }
    try {
      int vocab = spec.data.text == null ? 0 : spec.data.text.vocab;
      return ModelZoo.build(spec.model, type, spec.seed, inputShape(train), data.numClasses(), vocab);
    } catch (SpecException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * The quadratic's samples as rows of d numbers (one "image" of 1x1xd each, label 0), so batches, views and the
   * data order work as for images. Stored as FLOAT like pixels: the run's samples are these rounded values.
   */
  static ImageSet samplesAsRows(org.trajlab.engine.data.SyntheticQuadratic.Samples s) {
    if (s == null) return null;
    float[] x = new float[s.x().length];
    for (int i = 0; i < x.length; i++) x[i] = (float) s.x()[i];
    return new ImageSet(x, new int[s.size()], 1, 1, s.dim(), 1);
  }

  static InputShape inputShape(ImageSet set) {
    return InputShape.flat(set.channels(), set.rows(), set.cols());
  }

  private void position(Checkpoints.Loaded ck, boolean optimizerState) {
    Checkpoints.State s = ck.state();
    t = s.step;
    epoch = s.epoch;
    pos = s.pos;
    seen = s.examplesSeen;
    noiseVariance = s.noiseVariance == null ? Double.NaN : s.noiseVariance;
    if (s.plateau != null && lrSchedule.isPlateau() && optimizerState) lrSchedule.restore(s.plateau);
    if (ck.prevGrad() != null) prevG = Nd4j.createFromArray(ck.prevGrad()).reshape(net.params().shape()).castTo(dt);
    if (optimizerState && ck.velocity() != null) {
      optimizer.restoreVelocity(Nd4j.createFromArray(ck.velocity()).reshape(net.params().shape()).castTo(dt));
    }
  }

  private RunOutcome loop(boolean fresh, String from) throws IOException {
    long started = startedNanos = System.nanoTime();
    long t0 = t;
    status.state = RunState.RUNNING;
    status.totalSteps = totalSteps;
    status.started = Instant.now().toString();
    status.pid = ProcessHandle.current().pid();
    writeStatus(started, t0);
    folder.log("data: " + data.description());
    folder.log(String.format("%s: %s, %d parameters, %s, %d training examples, %s %s, %d updates",
        fresh ? "start" : "resume", spec.name, objective.numParams(), spec.precision, n, spec.optimizer.type,
        fullBatch ? "full batch" : "batch " + spec.training.batchSize, totalSteps));
    if (net.hasBatchNorm()) {
      folder.log(objective.batchNormBatchSize() > 0
          ? "batch norm: probes measure in train mode, means over fixed seeded batches of " + objective.batchNormBatchSize()
              + " examples; eval rows use the running statistics"
          : "batch norm: probes and eval rows use the running statistics (inference mode)");
    }
    monitor.started(t0, totalSteps);

    RunState end = RunState.DONE;
    String message = null;
    Map<String, Object> summary = new LinkedHashMap<>();
    if (from != null) summary.put(fresh ? "started_from" : "resumed_from", from);
    summary.put("batch_norm", batchNormSummary());
    INDArray params = net.params();
    try {
      if (fresh) {
        for (Probe p : probes) p.start(this);
        if (noisy && Double.isNaN(noiseVariance)) noiseVariance = estimateNoiseVariance();
        evaluate(t, t == 0 ? 0 : epoch, summary);
        if (totalSteps == t) {
          for (Probe p : probes) p.onPoint(t, t == 0 ? 0 : epoch, params.toDoubleVector(), this);
        }
        metrics.flush();
        if (totalSteps == t && spec.checkpoints.end) checkpoint(); // a probe-only run keeps the point it measured
      } else {
        for (Probe p : probes) p.start(this);
      }
      if (noisy) {
        summary.put("noise_variance", noiseVariance);
        folder.log("gd-noise: sigma^2 = " + noiseVariance + " (noiseFactor x the largest per-parameter variance of "
            + spec.optimizer.noiseBatches + " mini-batch gradients of " + spec.training.batchSize + " at initialisation)");
      }
      INDArray g = Nd4j.create(dt, params.shape());
      int[] order = null;
      long lastStatus = System.nanoTime();
      while (t < totalSteps) {
        if (monitor.isCancelled()) {
          end = RunState.CANCELLED;
          message = "cancelled after " + t + " updates";
          break;
        }
        int b = batchSizeAt(t, epoch, pos);
        if (pos + b > n) {
          epoch++;
          pos = 0;
          order = null;
          b = batchSizeAt(t, epoch, pos);
        }
        if (order == null) order = Batches.epochOrder(spec.seed, epoch, n);
        double lr = lrSchedule.value(position(lrSchedule, t, epoch, pos));
        int[] batch = java.util.Arrays.copyOfRange(order, pos, pos + b);
        List<Probe> due = new ArrayList<>();
        boolean transforms = false;
        for (Probe p : probes) {
          if (p.isDue(t, epoch)) due.add(p);
          transforms |= p instanceof GradientTransform gt && gt.transforms(t, epoch);
        }
        // theta_t as probes see it, taken before the gradient: a training batch moves batch norm's running statistics
        double[] thetaT = due.isEmpty() && !transforms ? null : params.toDoubleVector();
        double batchLoss;
        if (fullBatch) {
          batchLoss = fullGradient(g);
        } else {
          INDArray x = Batches.features(train, order, pos, pos + b, dt);
          INDArray y = Batches.oneHot(train, order, pos, pos + b, dt);
          batchLoss = net.meanGradient(x, y, g, true);
          x.close(); // freed now, not by the garbage collector (off-heap pressure makes JavaCPP force GC pauses)
          y.close();
        }
        if (noisy) addNoise(g);
        if (!Double.isFinite(batchLoss)) {
          metrics.record(t, epoch, "train", "loss_batch", Double.NaN, batchLoss);
          end = RunState.DIVERGED;
          message = "diverged at update " + t + ": the batch loss is " + batchLoss;
          break;
        }
        for (Probe p : probes) {
          if (p instanceof GradientTransform gt && gt.transforms(t, epoch)) {
            double[] gd = g.toDoubleVector();
            gt.transform(t, epoch, thetaT, gd, this);
            g.assign(Nd4j.createFromArray(gd).reshape(g.shape()).castTo(dt));
          }
        }
        optimizer.apply(params, g, lr);
        if (t % spec.training.logEvery == 0) {
          metrics.record(t, epoch, "train", "loss_batch", Double.NaN, batchLoss);
          metrics.record(t, epoch, "train", "lr", Double.NaN, lr);
          metrics.record(t, epoch, "train", "batch_size", Double.NaN, b);
          metrics.record(t, epoch, "train", "noise_scale", Double.NaN, lr / b);
          metrics.record(t, epoch, "train", "grad_norm", Double.NaN, g.norm2Number().doubleValue());
        }
        if (!due.isEmpty()) {
          Step step = new Step(t, epoch, thetaT, params, g, prevG, lr, b, batchLoss, batch);
          for (Probe p : due) p.onStep(step, this);
        }
        if (prevG == null) prevG = g.dup();
        else prevG.assign(g);

        pos += b;
        seen += b;
        t++;
        boolean epochEnds = pos + batchSizeAt(t, epoch, pos) > n;
        if (epochEnds) {
          for (Probe p : probes) p.onEpochEnd(epoch, t, this);
        }
        if (t % spec.eval.every == 0 || t == totalSteps) {
          evaluate(t, epoch, summary);
        }
        metrics.flush();
        if ((spec.checkpoints.every != null && t % spec.checkpoints.every == 0) || (spec.checkpoints.epochs && epochEnds)
            || (spec.checkpoints.end && t == totalSteps)) {
          checkpoint();
        }
        monitor.progress(t, totalSteps, epoch, batchLoss);
        if (System.nanoTime() - lastStatus > STATUS_EVERY_NANOS) {
          lastStatus = System.nanoTime();
          writeStatus(started, t0);
        }
      }
      for (Probe p : probes) {
        Map<String, Object> ps = p.finish(this);
        if (!ps.isEmpty()) summary.put(p.id(), ps);
      }
    } catch (Exception | OutOfMemoryError e) {
      end = RunState.FAILED;
      message = e instanceof RunWriteException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
      folder.log("failed at update " + t + ": " + stackTrace(e));
    } finally {
      try {
        metrics.close();
      } catch (IOException e) {
        folder.log("metrics.csv could not be closed: " + e.getMessage());
      }
    }
    double seconds = elapsed();
    summary.put("state", end.name());
    summary.put("updates", t);
    summary.put("seconds", seconds);
    summary.put("updates_per_second", (t - firstStep) / Math.max(seconds, 1e-9));
    if (message != null) summary.put("message", message);
    try {
      folder.writeSummary(summary);
    } catch (IOException e) { // a full disk: the run failed here, and the status says so
      end = RunState.FAILED;
      message = e.getMessage();
      summary.put("state", end.name());
      summary.put("message", message);
    }
    status.state = end;
    status.message = message;
    try {
      writeStatus(started, t0);
    } catch (IOException e) { // status.json keeps its last whole version; the outcome tells the caller
      if (end != RunState.FAILED) message = e.getMessage();
      end = RunState.FAILED;
    }
    folder.log(String.format("end: %s after %d updates in %.1f s%s", end, t, seconds, message == null ? "" : " (" + message + ")"));
    return new RunOutcome(end, t, message, summary);
  }

  /** how batch normalisation was measured: by probes (mode and batch size) and by the eval rows */
  private Map<String, Object> batchNormSummary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("probes", objective.batchNormMode());
    if (objective.batchNormBatchSize() > 0) m.put("batch_size", objective.batchNormBatchSize());
    m.put("eval", net.hasBatchNorm() ? "inference" : "none");
    return m;
  }

  /** the mean gradient over the whole training set, summed in chunks; returns the mean loss */
  private double fullGradient(INDArray g) {
    int chunk = spec.optimizer.gdChunk;
    int[] all = new int[n];
    for (int i = 0; i < n; i++) all[i] = i;
    INDArray part = Nd4j.create(dt, g.shape());
    g.assign(0);
    double loss = 0;
    for (int from = 0; from < n; from += chunk) {
      int to = Math.min(n, from + chunk);
      loss += net.meanGradient(Batches.features(train, all, from, to, dt), Batches.oneHot(train, all, from, to, dt), part, true)
          * (to - from);
      g.addi(part.muli(to - from));
    }
    g.divi(n);
    return loss / n;
  }

  /** sigma^2 = noiseFactor x max over parameters of the variance of mini-batch gradients at the current point */
  private double estimateNoiseVariance() {
    int k = spec.optimizer.noiseBatches;
    int b = spec.training.batchSize;
    INDArray g = Nd4j.create(DataType.DOUBLE, net.params().shape());
    INDArray part = Nd4j.create(dt, net.params().shape());
    INDArray sum = Nd4j.zeros(DataType.DOUBLE, net.params().shape());
    INDArray sumSq = Nd4j.zeros(DataType.DOUBLE, net.params().shape());
    SplittableRandom r = new SplittableRandom(spec.seed ^ 0x4E015EL);
    for (int i = 0; i < k; i++) {
      int[] idx = r.ints(b, 0, n).toArray();
      net.meanGradient(Batches.features(train, idx, 0, b, dt), Batches.oneHot(train, idx, 0, b, dt), part, false);
      g.assign(part.castTo(DataType.DOUBLE));
      sum.addi(g);
      sumSq.addi(g.mul(g));
    }
    INDArray var = sumSq.sub(sum.mul(sum).divi(k)).divi(k - 1); // 0 on batch-norm statistics (their gradient is 0)
    return spec.optimizer.noiseFactor * var.maxNumber().doubleValue();
  }

  /** isotropic Gaussian noise of variance sigma^2, drawn from (seed, update) */
  private void addNoise(INDArray g) {
    SplittableRandom r = new SplittableRandom(spec.seed * 0x2545F4914F6CDD1DL + t);
    double sd = Math.sqrt(noiseVariance);
    double[] z = new double[(int) g.length()];
    for (int i = 0; i < z.length; i++) z[i] = sd * r.nextGaussian();
    INDArray noise = Nd4j.createFromArray(z).reshape(g.shape()).castTo(dt);
    g.addi(mask == null ? noise : noise.muli(mask));
  }

  private void checkpoint() throws IOException {
    Checkpoints.State s = new Checkpoints.State();
    s.step = t;
    s.epoch = epoch;
    s.pos = pos;
    s.examplesSeen = seen;
    s.noiseVariance = Double.isNaN(noiseVariance) ? null : noiseVariance;
    s.plateau = lrSchedule.isPlateau() ? lrSchedule.state() : null;
    s.metricsBytes = java.nio.file.Files.size(folder.file(RunFolder.METRICS));
    s.numParams = objective.numParams();
    s.model = Specs.toJson(spec.model).replaceAll("\\s+", "");
    s.precision = spec.precision;
    s.seed = spec.seed;
    s.seconds = elapsed();
    s.firstStep = firstStep;
    for (Probe p : probes) {
      Map<String, Object> ps = p.saveState();
      if (!ps.isEmpty()) s.probes.put(p.id(), ps);
    }
    boolean asFloat = dt == DataType.FLOAT;
    java.nio.file.Path dir = Checkpoints.write(folder, s, net.params().toDoubleVector(), theta0,
        optimizer.velocity() == null ? null : optimizer.velocity().toDoubleVector(),
        prevG == null ? null : prevG.toDoubleVector(), asFloat);
    folder.log("checkpoint at update " + t + ": " + dir.getFileName());
  }

  /** the run's time in seconds: before this process (a resumed run's, from its checkpoint) and in it */
  private double elapsed() {
    return secondsBefore + (System.nanoTime() - startedNanos) / 1e9;
  }

  /** updates done so far (the position a failure happened at) */
  long updates() {
    return t;
  }

  private void writeStatus(long started, long t0) throws IOException {
    status.step = t;
    status.epoch = epoch;
    status.rate = (t - t0) / Math.max((System.nanoTime() - started) / 1e9, 1e-9);
    folder.writeStatus(status);
  }

  private void evaluate(long step, int ep, Map<String, Object> summary) {
    double[] theta = net.params().toDoubleVector();
    StringBuilder line = new StringBuilder("eval at step " + step + ":");
    List<String> sets = new ArrayList<>(spec.eval.sets);
    if (data.corruption().count() > 0) {
      sets.add("train-clean");
      sets.add("train-noisy");
    }
    for (String set : sets) {
      long c0 = System.nanoTime();
      Evaluation e = objective.evaluateInference(objective.view(set), theta);
      String key = set.replace('-', '_');
      metrics.record(step, ep, "eval", "loss_" + key, Double.NaN, e.loss());
      summary.put("final_loss_" + key, e.loss());
      if (!Double.isNaN(e.accuracy())) { // the quadratic has no classes
        metrics.record(step, ep, "eval", "acc_" + key, Double.NaN, e.accuracy());
        summary.put("final_acc_" + key, e.accuracy());
      }
      line.append(String.format(" %s loss %.4f%s (%.0f ms)", set, e.loss(), Double.isNaN(e.accuracy()) ? "" : String.format(" acc %.4f", e.accuracy()), (System.nanoTime() - c0) / 1e6));
      if (lrSchedule.isPlateau() && set.equals(lrSchedule.monitoredSet()) && step > 0
          && lrSchedule.observe(lrSchedule.higherIsBetter() ? e.accuracy() : e.loss())) {
        line.append(" -> lr decayed to ").append(lrSchedule.value(0));
      }
    }
    folder.log(line.toString());
    monitor.message(line.toString());
  }

  private static String stackTrace(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }

  // ---- RunContext ----
  @Override
  public RunSpec spec() {
    return spec;
  }

  @Override
  public Objective objective() {
    return objective;
  }

  @Override
  public double[] theta0() {
    return theta0.clone();
  }

  @Override
  public long totalSteps() {
    return totalSteps;
  }

  @Override
  public MetricSink sink(String probe, long step, int ep) {
    return new MetricSink() {
      @Override
      public void record(String quantity, double value) {
        metrics.record(step, ep, probe, quantity, Double.NaN, value);
      }

      @Override
      public void record(String quantity, double index, double value) {
        metrics.record(step, ep, probe, quantity, index, value);
      }
    };
  }

  @Override
  public void log(String line) {
    folder.log(line);
  }

  /** update t, its vectors converted to double on first use */
  private final class Step implements StepContext {
    private final long step;
    private final int ep;
    private final double[] theta;
    private final INDArray paramsNext;
    private final INDArray g;
    private final INDArray prev;
    private final double lr;
    private final int size;
    private final double batchLoss;
    private final int[] batch;
    private double[] thetaNext;
    private double[] grad;
    private double[] prevGrad;

    Step(long step, int ep, double[] theta, INDArray paramsNext, INDArray g, INDArray prev, double lr, int size,
        double batchLoss, int[] batch) {
      this.step = step;
      this.ep = ep;
      this.theta = theta;
      this.paramsNext = paramsNext;
      this.g = g;
      this.prev = prev;
      this.lr = lr;
      this.size = size;
      this.batchLoss = batchLoss;
      this.batch = batch;
    }

    @Override
    public long step() {
      return step;
    }

    @Override
    public int epoch() {
      return ep;
    }

    @Override
    public double[] theta() {
      return theta;
    }

    @Override
    public double[] thetaNext() {
      if (thetaNext == null) thetaNext = paramsNext.toDoubleVector();
      return thetaNext;
    }

    @Override
    public double[] gradient() {
      if (grad == null) grad = g.toDoubleVector();
      return grad;
    }

    @Override
    public double[] previousGradient() {
      if (prev == null) return null;
      if (prevGrad == null) prevGrad = prev.toDoubleVector();
      return prevGrad;
    }

    @Override
    public double lr() {
      return lr;
    }

    @Override
    public int batchSize() {
      return size;
    }

    @Override
    public double batchLoss() {
      return batchLoss;
    }

    @Override
    public int[] batchIndices() {
      return batch;
    }

    @Override
    public MetricSink sink(String probe) {
      return Trainer.this.sink(probe, step, ep);
    }
  }
}
