package org.trajlab.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeRegistry;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.engine.data.DataShape;
import org.trajlab.engine.data.Datasets;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelTypes;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.optim.Optimizer;

/**
 * A spec checked and resolved once, into what the rest of the engine reads: the data's shape and selection (files
 * found, headers checked, which examples each set takes), the model checked against it, the update plan (batch
 * sizes, learning rates, length), the probes, and the checkpoint a run starts from. Every problem is one
 * {@link SpecException} sentence naming the field; nothing here reads pixels or builds a network.
 */
final class RunPlan {
  private final RunSpec spec;
  private final DataShape data;
  private final StepPlan steps;
  private final List<Probe> probes;
  private final Checkpoints.Loaded start;

  private RunPlan(RunSpec spec, DataShape data, StepPlan steps, List<Probe> probes, Checkpoints.Loaded start) {
    this.spec = spec;
    this.data = data;
    this.steps = steps;
    this.probes = probes;
    this.start = start;
  }

  /**
   * Checks {@code spec} against the data, the model zoo and the installed probes. The plan's spec is a copy with the
   * defaults the model type and data set imply filled in ({@link #resolveDefaults}).
   */
  static RunPlan of(RunSpec given) throws SpecException {
    RunSpec spec = Specs.copy(given);
    resolveDefaults(spec);
    Specs.check(spec);
    Specs.oneOf("optimizer.type", spec.optimizer.type, Optimizer.TYPES);
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
    DataShape data = Datasets.check(spec.data, spec.seed);
    checkSizes(spec, data.trainSize());
    ModelZoo.check(spec.model, InputShape.flat(data.channels(), data.rows(), data.cols()), data.numClasses());
    StepPlan steps = new StepPlan(spec, data.trainSize());
    List<Probe> probes = createProbes(spec);
    boolean probeOnly = probeOnly(spec);
    boolean inferenceBatchNorm = Boolean.TRUE.equals(spec.model.batchNorm) && "inference".equals(spec.batchNorm.mode);
    for (int i = 0; i < probes.size(); i++) {
      Specs.require(!probeOnly || probes.get(i).measuresPoints(), "probes[" + i + "].type", "Probe '"
          + spec.probes.get(i).type + "' (probes[" + i + "]) measures along updates, but this run has zero training"
          + " steps; give training.steps or training.epochs");
      Specs.require(!inferenceBatchNorm || !probes.get(i).usesGradients(), "batchNorm.mode", "Field 'batchNorm.mode' is"
          + " 'inference', but probe '" + spec.probes.get(i).type + "' (probes[" + i + "]) needs gradients of the loss, which"
          + " DL4J computes for batch normalisation in train mode only; use batchNorm.mode 'train'");
    }
    Checkpoints.Loaded start = null;
    if (spec.start.checkpoint != null) {
      start = startCheckpoint(spec);
      checkLength(spec, start, steps.totalSteps());
    }
    return new RunPlan(spec, data, steps, probes, start);
  }

  /**
   * A copy of {@code spec} with the defaults a run folder records made explicit: the data folder a run reads
   * ({@code data.dir}, e.g. the Debian Fashion-MNIST folder) and the probes' batch-norm batch size (the training
   * batch size). Re-running the resolved spec repeats the run on any machine with the same files.
   */
  static RunSpec resolved(RunSpec spec) throws SpecException {
    RunSpec resolved = Specs.copy(spec);
    resolveDefaults(resolved);
    Path dir = Datasets.resolveDir(spec.data);
    resolved.data.dir = dir == null ? null : dir.toString();
    if (resolved.batchNorm.batchSize == null) resolved.batchNorm.batchSize = resolved.training.batchSize;
    return resolved;
  }

  /** fills, in place, the fields the model type and the data set imply (an mlp's widths, a resnet's depth, ...) */
  static void resolveDefaults(RunSpec spec) {
    ModelTypes.resolve(spec.model);
    Datasets.resolve(spec.data);
  }

  /** zero training steps: the probes measure at the initial or loaded point */
  static boolean probeOnly(RunSpec spec) {
    return spec.training.steps != null ? spec.training.steps == 0 : spec.training.epochs == 0;
  }

  /** the batch size against the training set that remains after subsets and the held-out split */
  private static void checkSizes(RunSpec spec, int n) throws SpecException {
    Specs.require(spec.training.batchSize <= n, "training.batchSize", "Field 'training.batchSize' is "
        + spec.training.batchSize + " but the training set has only " + n + " examples; choose at most " + n);
    Specs.require(!spec.eval.sets.contains("held-out") || (spec.data.heldOutSize != null && spec.data.heldOutSize > 0),
        "eval.sets", "Field 'eval.sets' asks for 'held-out' but no held-out split is carved; set data.heldOutSize");
  }

  private static List<Probe> createProbes(RunSpec spec) throws SpecException {
    ProbeRegistry registry = ProbeRegistry.fromExtensions();
    List<Probe> probes = new ArrayList<>();
    for (int i = 0; i < spec.probes.size(); i++) {
      probes.add(registry.create(spec.probes.get(i), "probes[" + i + "]"));
    }
    return List.copyOf(probes);
  }

  /** the checkpoint a spec starts from, checked against the spec's model */
  private static Checkpoints.Loaded startCheckpoint(RunSpec spec) throws SpecException {
    Checkpoints.Loaded ck = Checkpoints.read(Path.of(spec.start.checkpoint), "start.checkpoint");
    String model = Specs.toJson(spec.model).replaceAll("\\s+", "");
    Specs.require(model.equals(ck.state().model), "start.checkpoint", "The checkpoint " + spec.start.checkpoint
        + " was written by the model " + ck.state().model + " but this spec's model is " + model
        + "; a run can start only from a checkpoint of the same model");
    return ck;
  }

  /** a run from a checkpoint trains past the checkpoint's update, or not at all (a probe-only run) */
  private static void checkLength(RunSpec spec, Checkpoints.Loaded ck, long planned) throws SpecException {
    long at = ck.state().step;
    if (probeOnly(spec) || planned > at) return;
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

  RunSpec spec() {
    return spec;
  }

  /** the data's shape, folder and selection (what {@code Datasets.load} reads) */
  DataShape data() {
    return data;
  }

  StepPlan steps() {
    return steps;
  }

  /** the probes, created once for this plan (a probe holds the state of one run) */
  List<Probe> probes() {
    return probes;
  }

  /** the checkpoint a new run starts from ({@code start.checkpoint}), or null */
  Checkpoints.Loaded start() {
    return start;
  }
}
