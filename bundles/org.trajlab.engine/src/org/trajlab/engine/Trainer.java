package org.trajlab.engine;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.RunContext;
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
import org.trajlab.engine.models.Level1;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;
import org.trajlab.engine.optim.Optimizer;

/**
 * One run: the loop over updates, and the run folder's files as it goes. The parts it drives each have one job: the
 * {@link StepPlan} (batch size and learning rate of each update, the run's length), the {@link RunPosition} (where
 * the run stands in its data order), a {@link GradientSource} (mini-batch, full batch, noisy), the {@link Optimizer}
 * (the update rule), the {@link Evaluator} (eval rows, the plateau signal), the {@link ProbeDriver} (due probes,
 * gradient transforms) and {@link Checkpoints}.
 * <p>
 * One update t: the position gives the batch (starting the next epoch when this one cannot supply it), the plan
 * gives η; θ_t is taken for the due probes; the source gives g_t; probes may transform it; the optimizer applies it;
 * the train rows are written and the due probes see the update; then, at step t + 1, the epoch's end, evaluation,
 * checkpoints and progress.
 * <p>
 * Numbering: row {@code step} = updates done. Rows about update t (train, walk) are written at step t with the
 * update's 1-based epoch; evaluation rows at step s describe θ_s (epoch 0 before the first update).
 */
final class Trainer implements RunContext {
  private static final long STATUS_EVERY_NANOS = 1_000_000_000L;

  private final RunSpec spec;
  private final RunData data;
  private final StepPlan steps;
  private final ProbeDriver probes;
  private final RunFolder folder;
  private final RunMonitor monitor;
  private final DataType dt;
  private final Optimizer optimizer;
  private final RunPosition position;
  private final RunStatus status = new RunStatus();
  private long totalSteps;
  private Network net;
  /** 1 for parameters, 0 for batch-norm running statistics; null when the model has none */
  private INDArray mask;
  private Dl4jObjective objective;
  private GradientSource gradients;
  private Evaluator evaluator;
  private double[] theta0;
  private INDArray prevG;
  private MetricsWriter metrics;
  // the run's clock: time before this process (a resumed run's) + this process's, and the update the run started at
  private double secondsBefore;
  private long startedNanos;
  private long firstStep;

  Trainer(RunPlan plan, RunData data, RunFolder folder, RunMonitor monitor) {
    this.spec = plan.spec();
    this.data = data;
    this.steps = plan.steps();
    this.probes = new ProbeDriver(plan.probes());
    this.folder = folder;
    this.monitor = monitor;
    this.dt = ModelZoo.dataType(spec.precision);
    this.optimizer = new Optimizer(spec.optimizer);
    this.position = new RunPosition(batchSeed(spec), steps.trainingSize());
    this.totalSteps = steps.totalSteps();
  }

  /** the seed of the batch order: {@code training.batchSeed}, else the run's seed */
  static long batchSeed(RunSpec spec) {
    return spec.training.batchSeed != null ? spec.training.batchSeed : spec.seed;
  }

  /** a fresh run, or one that starts from a checkpoint of another run */
  RunOutcome run(Checkpoints.Loaded start) throws IOException {
    Double noiseVariance = null;
    setUp(start == null ? null : start.params());
    if (start != null) {
      if (start.theta0() != null) theta0 = start.theta0();
      noiseVariance = restore(start, spec.start.optimizerState);
      // zero steps from a checkpoint: a probe-only run at the checkpoint's point (its update count kept)
      if (RunPlan.probeOnly(spec)) totalSteps = position.step;
      folder.log("start from checkpoint " + start.dir() + " at update " + position.step);
    }
    firstStep = position.step;
    folder.writeEnvironment(EnvironmentInfo.collect(data.loaded(), spec.precision));
    if (data.loaded().corruption().count() > 0) {
      java.nio.file.Files.write(folder.file("corrupted_labels.csv"), data.loaded().corruptionTable());
    }
    metrics = folder.openMetrics();
    return loop(true, start == null ? null : start.dir().toString(), noiseVariance);
  }

  /** continue this run from its checkpoint: metrics cut back to the checkpoint, probe state restored */
  RunOutcome resume(Checkpoints.Loaded ck) throws IOException {
    setUp(ck.params());
    theta0 = ck.theta0();
    Double noiseVariance = restore(ck, true);
    firstStep = ck.state().firstStep == null ? 0 : ck.state().firstStep;
    secondsBefore = ck.state().seconds == null ? 0 : ck.state().seconds;
    folder.truncateMetrics(ck.state().metricsBytes);
    probes.restoreState(ck.state().probes);
    folder.log("resume from " + ck.dir() + " at update " + position.step);
    metrics = folder.openMetrics();
    return loop(false, ck.dir().toString(), noiseVariance);
  }

  /** the training network (from the checkpoint's parameters when given), the objective, θ_0 */
  private void setUp(double[] params) {
    net = data.network(dt);
    if (params != null) net.params().assign(vector(params));
    mask = net.hasBatchNorm() ? net.trainableMask().reshape(net.params().shape()) : null;
    optimizer.mask(mask);
    objective = data.objective(net);
    theta0 = net.params().toDoubleVector();
  }

  /** the position, schedule state, g_{t−1} and (when asked) the optimizer's velocity of a checkpoint; its σ² */
  private Double restore(Checkpoints.Loaded ck, boolean optimizerState) {
    Checkpoints.State s = ck.state();
    position.restore(s);
    if (s.plateau != null && steps.learningRates().isPlateau() && optimizerState) steps.learningRates().restore(s.plateau);
    if (ck.prevGrad() != null) prevG = vector(ck.prevGrad());
    if (optimizerState && ck.velocity() != null) optimizer.restoreVelocity(vector(ck.velocity()));
    return s.noiseVariance;
  }

  /** a parameter-shaped array of the training precision */
  private INDArray vector(double[] v) {
    return Nd4j.createFromArray(v).reshape(net.params().shape()).castTo(dt);
  }

  private RunOutcome loop(boolean fresh, String from, Double noiseVariance) throws IOException {
    long started = startedNanos = System.nanoTime();
    long t0 = position.step;
    status.state = RunState.RUNNING;
    status.totalSteps = totalSteps;
    status.started = Instant.now().toString();
    status.pid = ProcessHandle.current().pid();
    writeStatus(started, t0);
    folder.log("data: " + data.loaded().description());
    folder.log(String.format("%s: %s, %d parameters, %s, %d training examples, %s %s, %d updates",
        fresh ? "start" : "resume", spec.name, objective.numParams(), spec.precision, steps.trainingSize(),
        spec.optimizer.type, steps.fullBatch() ? "full batch" : "batch " + spec.training.batchSize, totalSteps));
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
    evaluator = new Evaluator(objective, spec.eval.sets, data.loaded().corruption().count() > 0, steps.learningRates());
    INDArray params = net.params();
    INDArray g = null;
    try {
      probes.start(this);
      gradients = GradientSource.of(spec, net, data.train(), mask, noiseVariance);
      if (fresh) {
        evaluate(summary);
        if (totalSteps == position.step) {
          probes.onPoint(position.step, position.epochOfPoint(), params.toDoubleVector(), this);
        }
        metrics.flush();
        if (totalSteps == position.step && spec.checkpoints.end) checkpoint(); // a probe-only run keeps its point
      }
      if (gradients instanceof GradientSource.Noisy noisy) {
        summary.put("noise_variance", noisy.variance());
        folder.log("gd-noise: sigma^2 = " + noisy.variance() + " (noiseFactor x the largest per-parameter variance of "
            + spec.optimizer.noiseBatches + " mini-batch gradients of " + spec.training.batchSize + " at initialisation)");
      }
      g = Nd4j.create(dt, params.shape());
      long lastStatus = System.nanoTime();
      while (position.step < totalSteps) {
        if (monitor.isCancelled()) {
          end = RunState.CANCELLED;
          message = "cancelled after " + position.step + " updates";
          break;
        }
        long t = position.step;
        int b = position.nextBatchSize(steps);
        int epoch = position.epoch;
        double lr = steps.learningRate(t, epoch, position.pos);
        int[] batch = position.batch(b);
        List<Probe> due = probes.due(t, epoch);
        boolean transforms = probes.transforms(t, epoch);
        // theta_t as probes see it, taken before the gradient: a training batch moves batch norm's running statistics
        double[] thetaT = due.isEmpty() && !transforms ? null : params.toDoubleVector();
        double batchLoss = gradients.gradient(t, batch, g);
        if (!Double.isFinite(batchLoss)) {
          metrics.record(t, epoch, "train", "loss_batch", Double.NaN, batchLoss);
          end = RunState.DIVERGED;
          message = "diverged at update " + t + ": the batch loss is " + batchLoss;
          break;
        }
        if (transforms) probes.transform(t, epoch, thetaT, g, this);
        optimizer.apply(params, g, lr);
        if (t % spec.training.logEvery == 0) {
          metrics.record(t, epoch, "train", "loss_batch", Double.NaN, batchLoss);
          metrics.record(t, epoch, "train", "lr", Double.NaN, lr);
          metrics.record(t, epoch, "train", "batch_size", Double.NaN, b);
          metrics.record(t, epoch, "train", "noise_scale", Double.NaN, lr / b);
          metrics.record(t, epoch, "train", "grad_norm", Double.NaN, Level1.norm2(g));
        }
        if (!due.isEmpty()) {
          probes.onStep(due, new UpdateStep(t, epoch, thetaT, params, g, prevG, lr, batch, batchLoss, this), this);
        }
        // g becomes the gradient before; the next gradient goes into the buffer of the one before it (no copy)
        INDArray spare = prevG == null ? Nd4j.create(dt, params.shape()) : prevG;
        prevG = g;
        g = spare;

        position.advance(b);
        boolean epochEnds = position.epochEnds(steps);
        if (epochEnds) probes.epochEnded(epoch, position.step, this);
        if (position.step % spec.eval.every == 0 || position.step == totalSteps) evaluate(summary);
        metrics.flush();
        if ((spec.checkpoints.every != null && position.step % spec.checkpoints.every == 0)
            || (spec.checkpoints.epochs && epochEnds) || (spec.checkpoints.end && position.step == totalSteps)) {
          checkpoint();
        }
        monitor.progress(position.step, totalSteps, epoch, batchLoss);
        if (System.nanoTime() - lastStatus > STATUS_EVERY_NANOS) {
          lastStatus = System.nanoTime();
          writeStatus(started, t0);
        }
      }
      summary.putAll(probes.finish(this));
    } catch (Exception | OutOfMemoryError e) {
      end = RunState.FAILED;
      message = e instanceof RunWriteException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
      folder.log("failed at update " + position.step + ": " + stackTrace(e));
    } finally {
      if (g != null) g.close();
      try {
        metrics.close();
      } catch (IOException e) {
        folder.log("metrics.csv could not be closed: " + e.getMessage());
      }
    }
    return finish(end, message, summary, started, t0);
  }

  /** summary.json, then the final status.json; a full disk on either ends the run FAILED, said in one clause */
  private RunOutcome finish(RunState state, String why, Map<String, Object> summary, long started, long t0) {
    RunState end = state;
    String message = why;
    long t = position.step;
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

  /** the eval rows of the current point (logged and shown) */
  private void evaluate(Map<String, Object> summary) {
    String line = evaluator.evaluate(position.step, position.epochOfPoint(), net.params().toDoubleVector(), metrics, summary);
    folder.log(line);
    monitor.message(line);
  }

  /** how batch normalisation was measured: by probes (mode and batch size) and by the eval rows */
  private Map<String, Object> batchNormSummary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("probes", objective.batchNormMode());
    if (objective.batchNormBatchSize() > 0) m.put("batch_size", objective.batchNormBatchSize());
    m.put("eval", net.hasBatchNorm() ? "inference" : "none");
    return m;
  }

  private void checkpoint() throws IOException {
    Checkpoints.State s = new Checkpoints.State();
    position.store(s);
    s.noiseVariance = gradients instanceof GradientSource.Noisy noisy ? noisy.variance() : null;
    s.plateau = steps.learningRates().isPlateau() ? steps.learningRates().state() : null;
    s.metricsBytes = java.nio.file.Files.size(folder.file(RunFolder.METRICS));
    s.numParams = objective.numParams();
    s.model = Specs.toJson(spec.model).replaceAll("\\s+", "");
    s.precision = spec.precision;
    s.seed = spec.seed;
    s.seconds = elapsed();
    s.firstStep = firstStep;
    s.probes.putAll(probes.saveState());
    java.nio.file.Path dir = Checkpoints.write(folder, s, net.params().toDoubleVector(), theta0,
        optimizer.velocity() == null ? null : optimizer.velocity().toDoubleVector(),
        prevG == null ? null : prevG.toDoubleVector(), dt == DataType.FLOAT);
    folder.log("checkpoint at update " + position.step + ": " + dir.getFileName());
  }

  /** the run's time in seconds: before this process (a resumed run's, from its checkpoint) and in it */
  private double elapsed() {
    return secondsBefore + (System.nanoTime() - startedNanos) / 1e9;
  }

  /** updates done so far (the position a failure happened at) */
  long updates() {
    return position.step;
  }

  private void writeStatus(long started, long t0) throws IOException {
    status.step = position.step;
    status.epoch = position.epoch;
    status.rate = (position.step - t0) / Math.max((System.nanoTime() - started) / 1e9, 1e-9);
    folder.writeStatus(status);
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
  public double[] parametersOf(String runOrCheckpoint) throws SpecException {
    RunLines.Endpoint e = RunLines.endpoint(java.nio.file.Path.of(runOrCheckpoint), runOrCheckpoint);
    String model = Specs.toJson(spec.model).replaceAll("\\s+", "");
    Specs.require(model.equals(e.checkpoint().state().model) && e.checkpoint().params().length == objective.numParams(),
        runOrCheckpoint, "The run " + e.id() + " is of another model (" + e.checkpoint().state().model + ") than this"
            + " one (" + model + ")");
    return e.checkpoint().params();
  }

  @Override
  public void log(String line) {
    folder.log(line);
  }
}
