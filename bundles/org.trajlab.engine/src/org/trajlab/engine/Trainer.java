package org.trajlab.engine;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.objective.Evaluation;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.StepContext;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.store.MetricsWriter;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStatus;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.data.ImageSet;

/**
 * One run: plain SGD applied by the engine to the flat parameter vector, evaluation on a schedule, probes on
 * theirs, everything written to the run folder as it happens.
 * <p>
 * Numbering: row {@code step} = updates done. Rows about update t (train, walk) are written at step t, the
 * update's 1-based epoch in the epoch column; evaluation rows at step s describe theta_s (epoch 0 for s = 0).
 */
final class Trainer implements RunContext {
  private static final long STATUS_EVERY_NANOS = 1_000_000_000L;

  private final RunSpec spec;
  private final FashionMnist data;
  private final List<Probe> probes;
  private final RunFolder folder;
  private final RunMonitor monitor;

  private final ImageSet train;
  private final DataType dt;
  private final int batchSize;
  private final int stepsPerEpoch;
  private final long totalSteps;
  private MultiLayerNetwork net;
  private Dl4jObjective objective;
  private double[] theta0;
  private MetricsWriter metrics;
  private final RunStatus status = new RunStatus();

  Trainer(RunSpec spec, FashionMnist data, List<Probe> probes, RunFolder folder, RunMonitor monitor) {
    this.spec = spec;
    this.data = data;
    this.probes = probes;
    this.folder = folder;
    this.monitor = monitor;
    ImageSet t = data.train();
    this.train = spec.data.trainSize == null ? t : t.head(spec.data.trainSize);
    this.dt = Models.dataType(spec.precision);
    this.batchSize = spec.training.batchSize;
    this.stepsPerEpoch = train.size() / batchSize;
    this.totalSteps = totalSteps(spec, train.size());
  }

  static long totalSteps(RunSpec spec, int trainSize) {
    return spec.training.steps != null ? spec.training.steps
        : (long) spec.training.epochs * (trainSize / spec.training.batchSize);
  }

  RunOutcome run() throws IOException {
    long started = System.nanoTime();
    MultiLayerConfiguration conf = Models.mlp(spec.model, dt, spec.seed, train.features(), train.numClasses());
    net = Models.network(conf, spec.model.init, spec.seed);
    int[] trainEval = Batches.trainEval(spec.seed, train.size(), spec.data.trainEvalSize,
        "random".equals(spec.data.trainEvalSelection));
    objective = new Dl4jObjective(conf, train, data.test(), trainEval);
    INDArray params = net.params();
    theta0 = params.toDoubleVector();

    folder.writeEnvironment(EnvironmentInfo.collect(data, spec.precision));
    metrics = folder.openMetrics();
    status.state = RunState.RUNNING;
    status.totalSteps = totalSteps;
    status.started = Instant.now().toString();
    status.pid = ProcessHandle.current().pid();
    folder.writeStatus(status);
    folder.log(String.format("start: %s, %d parameters, %s, %d training examples, batch %d, %d updates (%d per epoch)",
        spec.name, objective.numParams(), spec.precision, train.size(), batchSize, totalSteps, stepsPerEpoch));
    monitor.started(totalSteps);

    RunState end = RunState.DONE;
    String message = null;
    long t = 0;
    Map<String, Object> summary = new LinkedHashMap<>();
    try {
      for (Probe p : probes) {
        p.start(this);
      }
      evaluate(0, 0, summary);
      metrics.flush();

      INDArray g = Nd4j.create(dt, params.shape());
      INDArray prevG = null;
      int[] order = null;
      long lastStatus = System.nanoTime();
      double lr = spec.optimizer.lr;
      for (t = 0; t < totalSteps; t++) {
        if (monitor.isCancelled()) {
          end = RunState.CANCELLED;
          message = "cancelled after " + t + " updates";
          break;
        }
        int epoch = epochOf(t);
        int pos = (int) (t % stepsPerEpoch);
        if (pos == 0 || order == null) {
          order = Batches.epochOrder(spec.seed, epoch, train.size());
        }
        int from = pos * batchSize;
        int[] batch = java.util.Arrays.copyOfRange(order, from, from + batchSize);
        double batchLoss = Sgd.gradient(net, Batches.features(train, order, from, from + batchSize, dt),
            Batches.oneHot(train, order, from, from + batchSize, dt), g);
        if (!Double.isFinite(batchLoss)) {
          metrics.record(t, epoch, "train", "loss_batch", Double.NaN, batchLoss);
          end = RunState.DIVERGED;
          message = "diverged at update " + t + ": the batch loss is " + batchLoss;
          break;
        }
        List<Probe> due = new ArrayList<>();
        for (Probe p : probes) {
          if (p.isDue(t, epoch)) due.add(p);
        }
        double[] thetaT = due.isEmpty() ? null : params.toDoubleVector();
        Sgd.update(params, g, lr);
        if (t % spec.training.logEvery == 0) {
          metrics.record(t, epoch, "train", "loss_batch", Double.NaN, batchLoss);
          metrics.record(t, epoch, "train", "lr", Double.NaN, lr);
          metrics.record(t, epoch, "train", "batch_size", Double.NaN, batchSize);
          metrics.record(t, epoch, "train", "noise_scale", Double.NaN, lr / batchSize);
          metrics.record(t, epoch, "train", "grad_norm", Double.NaN, g.norm2Number().doubleValue());
        }
        if (!due.isEmpty()) {
          Step step = new Step(t, epoch, thetaT, params, g, prevG, lr, batchLoss, batch);
          for (Probe p : due) {
            p.onStep(step, this);
          }
        }
        if (prevG == null) prevG = g.dup();
        else prevG.assign(g);

        long done = t + 1;
        if (done % stepsPerEpoch == 0) {
          for (Probe p : probes) {
            p.onEpochEnd(epoch, done, this);
          }
        }
        if (done % spec.eval.every == 0 || done == totalSteps) {
          evaluate(done, epoch, summary);
        }
        metrics.flush();
        monitor.progress(done, totalSteps, epoch, batchLoss);
        if (System.nanoTime() - lastStatus > STATUS_EVERY_NANOS) {
          lastStatus = System.nanoTime();
          writeStatus(done, epoch, started);
        }
      }
      for (Probe p : probes) {
        Map<String, Object> ps = p.finish(this);
        if (!ps.isEmpty()) summary.put(p.id(), ps);
      }
    } catch (Exception | OutOfMemoryError e) {
      end = RunState.FAILED;
      message = e.getClass().getSimpleName() + ": " + e.getMessage();
      folder.log("failed at update " + t + ": " + stackTrace(e));
    } finally {
      try {
        metrics.close();
      } catch (IOException e) {
        folder.log("metrics.csv could not be closed: " + e.getMessage());
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    summary.put("state", end.name());
    summary.put("updates", t);
    summary.put("seconds", seconds);
    summary.put("updates_per_second", t / Math.max(seconds, 1e-9));
    if (message != null) summary.put("message", message);
    status.state = end;
    status.message = message;
    writeStatus(t, t == 0 ? 0 : epochOf(t - 1), started);
    folder.writeSummary(summary);
    folder.log(String.format("end: %s after %d updates in %.1f s%s", end, t, seconds, message == null ? "" : " (" + message + ")"));
    return new RunOutcome(end, t, message, summary);
  }

  private void writeStatus(long done, int epoch, long started) throws IOException {
    status.step = done;
    status.epoch = epoch;
    status.rate = done / Math.max((System.nanoTime() - started) / 1e9, 1e-9);
    folder.writeStatus(status);
  }

  private int epochOf(long t) {
    return (int) (t / stepsPerEpoch) + 1;
  }

  private void evaluate(long step, int epoch, Map<String, Object> summary) {
    double[] theta = net.params().toDoubleVector();
    StringBuilder line = new StringBuilder("eval at step " + step + ":");
    for (String set : spec.eval.sets) {
      long t0 = System.nanoTime();
      Evaluation e = objective.evaluate(objective.view(set), theta);
      String key = set.replace('-', '_');
      metrics.record(step, epoch, "eval", "loss_" + key, Double.NaN, e.loss());
      metrics.record(step, epoch, "eval", "acc_" + key, Double.NaN, e.accuracy());
      summary.put("final_loss_" + key, e.loss());
      summary.put("final_acc_" + key, e.accuracy());
      line.append(String.format(" %s loss %.4f acc %.4f (%.0f ms)", set, e.loss(), e.accuracy(), (System.nanoTime() - t0) / 1e6));
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
  public int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  @Override
  public MetricSink sink(String probe, long step, int epoch) {
    return new MetricSink() {
      @Override
      public void record(String quantity, double value) {
        metrics.record(step, epoch, probe, quantity, Double.NaN, value);
      }

      @Override
      public void record(String quantity, double index, double value) {
        metrics.record(step, epoch, probe, quantity, index, value);
      }
    };
  }

  @Override
  public void log(String line) {
    folder.log(line);
  }

  /** update t, its vectors converted to double on first use */
  private final class Step implements StepContext {
    private final long t;
    private final int epoch;
    private final double[] theta;
    private final INDArray paramsNext;
    private final INDArray g;
    private final INDArray prevG;
    private final double lr;
    private final double batchLoss;
    private final int[] batch;
    private double[] thetaNext;
    private double[] grad;
    private double[] prevGrad;

    Step(long t, int epoch, double[] theta, INDArray paramsNext, INDArray g, INDArray prevG, double lr,
        double batchLoss, int[] batch) {
      this.t = t;
      this.epoch = epoch;
      this.theta = theta;
      this.paramsNext = paramsNext;
      this.g = g;
      this.prevG = prevG;
      this.lr = lr;
      this.batchLoss = batchLoss;
      this.batch = batch;
    }

    @Override
    public long step() {
      return t;
    }

    @Override
    public int epoch() {
      return epoch;
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
      if (prevG == null) return null;
      if (prevGrad == null) prevGrad = prevG.toDoubleVector();
      return prevGrad;
    }

    @Override
    public double lr() {
      return lr;
    }

    @Override
    public int batchSize() {
      return batchSize;
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
      return Trainer.this.sink(probe, t, epoch);
    }
  }
}
