package org.trajlab.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
import org.trajlab.engine.data.Datasets;

/**
 * The DL4J implementation of {@link ExperimentRunner}, registered as an OSGi service (OSGI-INF/runner.xml): a spec
 * becomes a {@link RunPlan} (checked once), its data is read once, and a {@link Trainer} runs it.
 */
public final class Dl4jExperimentRunner implements ExperimentRunner {

  @Override
  public void check(RunSpec spec) throws SpecException {
    RunPlan.of(spec);
  }

  @Override
  public RunOutcome run(RunSpec spec, RunFolder folder, RunMonitor monitor) throws SpecException {
    RunPlan plan = RunPlan.of(RunPlan.resolved(spec));
    RunSpec resolved = plan.spec();
    RunData data = new RunData(resolved, Datasets.load(resolved.data, plan.data(), resolved.seed));
    Trainer trainer = new Trainer(plan, data, folder, monitor);
    try {
      folder.writeSpec(resolved);
      return Nd4jSetup.withNd4jLoader(() -> trainer.run(plan.start()));
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
    RunPlan plan = RunPlan.of(spec);
    Checkpoints.Loaded ck = Checkpoints.read(latest, "checkpoints");
    if (ck.theta0() == null) throw Checkpoints.damaged(latest, "checkpoints", "theta0.npy is missing");
    long metricsBytes = sizeOf(folder.file(RunFolder.METRICS));
    Specs.require(ck.state().metricsBytes <= metricsBytes, "checkpoints", "The run " + folder.dir() + " cannot be"
        + " resumed from its checkpoint " + latest.getFileName() + ": metrics.csv is shorter now than when the"
        + " checkpoint was written, so it was cut or replaced since");
    RunData data = new RunData(plan.spec(), Datasets.load(plan.spec().data, plan.data(), plan.spec().seed));
    Trainer trainer = new Trainer(plan, data, folder, monitor);
    try {
      return Nd4jSetup.withNd4jLoader(() -> trainer.resume(ck));
    } catch (Exception e) {
      return failed(folder, trainer, e);
    }
  }

  @Override
  public org.trajlab.api.run.LineResult line(org.trajlab.api.run.LineRequest request) throws SpecException {
    return RunLines.compute(request);
  }

  @Override
  public org.trajlab.api.run.RunPreview preview(RunSpec spec, int maxSteps) throws SpecException {
    RunPlan plan = RunPlan.of(spec);
    org.trajlab.engine.data.DataShape d = plan.data();
    StepPlan steps = plan.steps();
    long total = steps.totalSteps();
    Specs.require(total <= maxSteps, "training", "The run makes " + total + " updates, more than the " + maxSteps
        + " a preview computes");
    int n = (int) total;
    double[] lr = new double[n];
    int[] size = new int[n];
    int[] epochs = new int[n];
    int e = 1;
    int p = 0;
    for (int t = 0; t < n; t++) { // as StepPlan.updatesIn and RunPosition walk the data order
      if (!steps.fits(t, e, p)) {
        e++;
        p = 0;
      }
      size[t] = steps.batchSize(t, e, p);
      lr[t] = steps.learningRate(t, e, p);
      epochs[t] = e;
      p += size[t];
    }
    long start = plan.start() == null ? 0 : plan.start().state().step;
    return new org.trajlab.api.run.RunPreview(d.dataset(), d.title(), d.dir(), d.channels(), d.rows(), d.cols(),
        d.numClasses(), d.trainFileSize(), d.testFileSize(), d.trainSize(), d.heldOutSize(), d.testSize(), start, lr,
        size, epochs, org.trajlab.engine.data.Datasets.trainClassCounts(spec.data, d));
  }

  private static long sizeOf(Path f) {
    try {
      return Files.exists(f) ? Files.size(f) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
