package org.trajlab.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeRegistry;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStatus;
import org.trajlab.api.store.RunWriteException;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.data.DataShape;
import org.trajlab.engine.data.Datasets;
import org.trajlab.engine.data.LoadedData;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.optim.RateSchedule;

/** The DL4J implementation of {@link ExperimentRunner}, registered as an OSGi service (OSGI-INF/runner.xml). */
public final class Dl4jExperimentRunner implements ExperimentRunner {

  @Override
  public void check(RunSpec spec) throws SpecException {
    Specs.check(spec);
    boolean quadraticData = Datasets.QUADRATIC.equals(spec.data.dataset);
    Specs.require(quadraticData == "quadratic".equals(spec.model.type), "model.type", quadraticData
        ? "The synthetic quadratic data set (data.dataset 'quadratic') is a model and data pair: set model.type to 'quadratic'"
        : "Field 'model.type' is 'quadratic', which needs the synthetic quadratic data (data.dataset 'quadratic'), but the"
            + " data set is '" + spec.data.dataset + "'");
    boolean textData = Datasets.TEXT.equals(spec.data.dataset);
    Specs.require(textData == "lstm".equals(spec.model.type), "model.type", textData
        ? "The text data set gives word ids, which only model.type 'lstm' reads; set model.type to 'lstm'"
        : "Field 'model.type' is 'lstm', which reads the word ids of a text data set (data.dataset 'text'), but the data"
            + " set is '" + spec.data.dataset + "'");
    DataShape shape = Datasets.check(spec.data);
    checkSizes(spec, shape.trainSize());
    ModelZoo.check(spec.model, InputShape.flat(shape.channels(), shape.rows(), shape.cols()), shape.numClasses());
    double runEpochs = Trainer.runEpochs(spec, shape.trainSize());
    RateSchedule lr = new RateSchedule(spec.optimizer.lrSchedule, spec.optimizer.lr, runEpochs, "optimizer.lrSchedule");
    Trainer.checkSchedules(spec, lr);
    if (spec.training.batchSchedule != null && spec.training.batchSchedule.of != null) {
      new RateSchedule(spec.training.batchSchedule.of, spec.optimizer.lr, runEpochs, "training.batchSchedule.of");
    }
    List<Probe> probes = createProbes(spec);
    boolean probeOnly = spec.training.steps != null ? spec.training.steps == 0 : spec.training.epochs == 0;
    boolean inferenceBatchNorm = Boolean.TRUE.equals(spec.model.batchNorm) && "inference".equals(spec.batchNorm.mode);
    for (int i = 0; i < probes.size(); i++) {
      Specs.require(!probeOnly || probes.get(i).measuresPoints(), "probes[" + i + "].type", "Probe '"
          + spec.probes.get(i).type + "' (probes[" + i + "]) measures along updates, but this run has zero training"
          + " steps; give training.steps or training.epochs");
      Specs.require(!inferenceBatchNorm || !probes.get(i).usesGradients(), "batchNorm.mode", "Field 'batchNorm.mode' is"
          + " 'inference', but probe '" + spec.probes.get(i).type + "' (probes[" + i + "]) needs gradients of the loss, which"
          + " DL4J computes for batch normalisation in train mode only; use batchNorm.mode 'train'");
    }
    if (spec.start.checkpoint != null) {
      // the run's length is known here unless a batch-size schedule shapes its epochs (then run() checks it)
      Long planned = spec.training.steps != null ? spec.training.steps
          : spec.training.batchSchedule != null ? null
          : (long) spec.training.epochs * (spec.optimizer.type.startsWith("gd") ? 1 : shape.trainSize() / spec.training.batchSize);
      checkLength(spec, startCheckpoint(spec), planned);
    }
  }

  /** a run from a checkpoint trains past the checkpoint's update, or not at all (a probe-only run) */
  static void checkLength(RunSpec spec, Checkpoints.Loaded ck, Long planned) throws SpecException {
    long at = ck.state().step;
    boolean probeOnly = spec.training.steps != null ? spec.training.steps == 0 : spec.training.epochs == 0;
    if (probeOnly || planned == null || planned > at) return;
    if (spec.training.steps != null) {
      throw new SpecException("training.steps", "Field 'training.steps' is " + planned + ", but the checkpoint "
          + spec.start.checkpoint + " is already at update " + at + " (training.steps counts the run's updates from 0,"
          + " the checkpoint's included); give more than " + at + ", or 0 for a probe-only run at the checkpoint.");
    }
    throw new SpecException("training.epochs", "Field 'training.epochs' is " + spec.training.epochs + " (" + planned
        + " updates), but the checkpoint " + spec.start.checkpoint + " is already at update " + at + " (epochs count"
        + " from the start of the run, the checkpoint's included); give more epochs, or training.steps 0 for a"
        + " probe-only run at the checkpoint.");
  }

  /** the batch size against the training set that remains after subsets and the held-out split */
  static void checkSizes(RunSpec spec, int n) throws SpecException {
    Specs.require(spec.training.batchSize <= n, "training.batchSize", "Field 'training.batchSize' is "
        + spec.training.batchSize + " but the training set has only " + n + " examples; choose at most " + n);
    Specs.require(!spec.eval.sets.contains("held-out") || (spec.data.heldOutSize != null && spec.data.heldOutSize > 0),
        "eval.sets", "Field 'eval.sets' asks for 'held-out' but no held-out split is carved; set data.heldOutSize");
  }

  static List<Probe> createProbes(RunSpec spec) throws SpecException {
    ProbeRegistry registry = ProbeRegistry.fromExtensions();
    List<Probe> probes = new ArrayList<>();
    for (int i = 0; i < spec.probes.size(); i++) {
      probes.add(registry.create(spec.probes.get(i), "probes[" + i + "]"));
    }
    return probes;
  }

  /** the checkpoint a spec starts from, checked against the spec's model */
  static Checkpoints.Loaded startCheckpoint(RunSpec spec) throws SpecException {
    Checkpoints.Loaded ck = Checkpoints.read(Path.of(spec.start.checkpoint), "start.checkpoint");
    String model = Specs.toJson(spec.model).replaceAll("\\s+", "");
    Specs.require(model.equals(ck.state().model), "start.checkpoint", "The checkpoint " + spec.start.checkpoint
        + " was written by the model " + ck.state().model + " but this spec's model is " + model
        + "; a run can start only from a checkpoint of the same model");
    return ck;
  }

  @Override
  public RunOutcome run(RunSpec spec, RunFolder folder, RunMonitor monitor) throws SpecException {
    RunSpec resolved = Specs.copy(spec);
    Path dir = Datasets.resolveDir(spec.data);
    resolved.data.dir = dir == null ? null : dir.toString();
    if (resolved.batchNorm.batchSize == null) resolved.batchNorm.batchSize = resolved.training.batchSize;
    check(resolved);
    List<Probe> probes = createProbes(resolved);
    LoadedData data = Datasets.load(resolved.data, resolved.seed);
    Checkpoints.Loaded start = resolved.start.checkpoint == null ? null : startCheckpoint(resolved);
    Trainer trainer = new Trainer(resolved, data, probes, folder, monitor);
    if (start != null) checkLength(resolved, start, trainer.totalSteps());
    try {
      folder.writeSpec(resolved);
      return Nd4jSetup.withNd4jLoader(() -> trainer.run(start));
    } catch (Exception e) {
      return failed(folder, trainer, e);
    }
  }

  /**
   * A failure the trainer's loop did not catch (setting up, writing the folder's first files): FAILED at the update
   * the run stood at, said in one clause, and written to status.json when the folder takes it.
   */
  private static RunOutcome failed(RunFolder folder, Trainer trainer, Exception e) {
    String message = e instanceof RunWriteException ? e.getMessage()
        : e instanceof IOException ? "the run folder cannot be written (" + e.getMessage() + ")"
        : e.getClass().getSimpleName() + ": " + e.getMessage();
    folder.log("failed at update " + trainer.updates() + ": " + e);
    RunStatus status = folder.readStatus();
    status.state = RunState.FAILED;
    status.message = message;
    status.step = trainer.updates();
    status.totalSteps = trainer.totalSteps();
    try {
      folder.writeStatus(status);
    } catch (IOException again) {
      folder.log("status.json could not be written either: " + again.getMessage());
    }
    return new RunOutcome(RunState.FAILED, trainer.updates(), message, Map.of());
  }

  @Override
  public RunOutcome resume(RunFolder folder, RunMonitor monitor) throws SpecException {
    if (!folder.isRun()) {
      throw new SpecException(null, "The folder " + folder.dir() + " is not a trajlab run (it has no spec.json).");
    }
    RunState state = folder.readStatus().state;
    Specs.require(state != RunState.DONE, null, "The run " + folder.dir() + " has already finished; start a new run"
        + " from one of its checkpoints instead (start.checkpoint)");
    RunSpec spec;
    Path latest;
    try {
      spec = folder.readSpec();
      latest = Checkpoints.latest(folder);
    } catch (IOException e) {
      throw new SpecException(null, "The run " + folder.dir() + " cannot be read (" + e.getMessage() + ").");
    }
    Specs.require(latest != null, "checkpoints", "The run " + folder.dir() + " has no checkpoint to resume from;"
        + " runs write them when their spec sets checkpoints.every or checkpoints.epochs");
    check(spec);
    Checkpoints.Loaded ck = Checkpoints.read(latest, "checkpoints");
    if (ck.theta0() == null) throw Checkpoints.damaged(latest, "checkpoints", "theta0.npy is missing");
    long metricsBytes = sizeOf(folder.file(RunFolder.METRICS));
    Specs.require(ck.state().metricsBytes <= metricsBytes, "checkpoints", "The run " + folder.dir() + " cannot be"
        + " resumed from its checkpoint " + latest.getFileName() + ": metrics.csv is shorter now than when the"
        + " checkpoint was written, so it was cut or replaced since");
    List<Probe> probes = createProbes(spec);
    LoadedData data = Datasets.load(spec.data, spec.seed);
    Trainer trainer = new Trainer(spec, data, probes, folder, monitor);
    try {
      return Nd4jSetup.withNd4jLoader(() -> trainer.resume(ck));
    } catch (Exception e) {
      return failed(folder, trainer, e);
    }
  }

  private static long sizeOf(Path f) {
    try {
      return Files.exists(f) ? Files.size(f) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
