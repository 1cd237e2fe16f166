package org.trajlab.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.data.IdxFiles;

/** The DL4J implementation of {@link ExperimentRunner}, registered as an OSGi service (OSGI-INF/runner.xml). */
public final class Dl4jExperimentRunner implements ExperimentRunner {

  @Override
  public void check(RunSpec spec) throws SpecException {
    Specs.check(spec);
    Path dir = FashionMnist.resolveDir(spec.data.dir);
    FashionMnist.checkFolder(dir);
    int n = IdxFiles.labelCount(IdxFiles.find(dir, FashionMnist.FILES[1]), "data.dir");
    checkSizes(spec, n);
    createProbes(spec);
  }

  static void checkSizes(RunSpec spec, int available) throws SpecException {
    Specs.require(spec.data.trainSize == null || spec.data.trainSize <= available, "data.trainSize",
        "Field 'data.trainSize' is " + spec.data.trainSize + " but the training set has only " + available
            + " examples");
    int n = spec.data.trainSize == null ? available : spec.data.trainSize;
    Specs.require(spec.training.batchSize <= n, "training.batchSize", "Field 'training.batchSize' is "
        + spec.training.batchSize + " but the training set has only " + n + " examples; choose at most " + n);
    Specs.require(spec.data.trainEvalSize <= n, "data.trainEvalSize", "Field 'data.trainEvalSize' is "
        + spec.data.trainEvalSize + " but the training set has only " + n + " examples; choose at most " + n);
  }

  static List<Probe> createProbes(RunSpec spec) throws SpecException {
    ProbeRegistry registry = ProbeRegistry.fromExtensions();
    List<Probe> probes = new ArrayList<>();
    for (int i = 0; i < spec.probes.size(); i++) {
      probes.add(registry.create(spec.probes.get(i), "probes[" + i + "]"));
    }
    return probes;
  }

  @Override
  public RunOutcome run(RunSpec spec, RunFolder folder, RunMonitor monitor) throws SpecException {
    RunSpec resolved = Specs.copy(spec);
    resolved.data.dir = FashionMnist.resolveDir(spec.data.dir).toString();
    check(resolved);
    List<Probe> probes = createProbes(resolved);
    FashionMnist data = FashionMnist.load(Path.of(resolved.data.dir));
    checkSizes(resolved, data.train().size());
    try {
      folder.writeSpec(resolved);
      return Nd4jSetup.withNd4jLoader(() -> new Trainer(resolved, data, probes, folder, monitor).run());
    } catch (IOException e) {
      return new RunOutcome(RunState.FAILED, 0, "the run folder cannot be written: " + e.getMessage(), java.util.Map.of());
    } catch (Exception e) {
      folder.log("failed: " + e);
      return new RunOutcome(RunState.FAILED, 0, e.getClass().getSimpleName() + ": " + e.getMessage(), java.util.Map.of());
    }
  }
}
