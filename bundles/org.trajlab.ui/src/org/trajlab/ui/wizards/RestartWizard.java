package org.trajlab.ui.wizards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.widgets.Shell;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.store.RunFolder;

/**
 * Restart from checkpoint… (the Runs view's context menu): a new run from a checkpoint of {@link #source()} with a
 * changed spec. Its first page ({@link RestartPage}) picks the checkpoint and the variant, which pre-fills the spec;
 * the rest is edited on the same contributed pages as a new experiment's (those declared for "restart").
 */
public class RestartWizard extends SpecWizard {
  public static final String TITLE = "Restart from checkpoint";
  private final RunFolder source;
  private final RunSpec sourceSpec;
  private final List<Path> checkpoints;

  public RestartWizard(RunFolder source, Path outputRoot, ExperimentRunner runner) throws SpecException {
    super(WizardPageRegistry.RESTART, TITLE + " \u2014 " + source.name(), readSpec(source), outputRoot, runner);
    this.source = source;
    this.sourceSpec = readSpec(source);
    this.checkpoints = checkpoints(source);
    if (checkpoints.isEmpty()) {
      throw new SpecException("checkpoints", "The run " + source.name() + " has no checkpoint to restart from; runs"
          + " write them when their spec sets checkpoints.every, checkpoints.epochs or checkpoints.end.");
    }
    setSpec(RestartVariant.CONTINUE.apply(sourceSpec, source, checkpoints.get(checkpoints.size() - 1),
        RestartVariant.defaultLength(sourceSpec, source, checkpoints.get(checkpoints.size() - 1)), null));
  }

  private static RunSpec readSpec(RunFolder run) throws SpecException {
    try {
      return run.readSpec();
    } catch (IOException e) {
      throw new SpecException(null, "The spec of " + run.name() + " cannot be read (" + e.getMessage() + ").");
    }
  }

  /** the run's checkpoint folders ({@code checkpoints/step-NNNNNNNN}), oldest first */
  public static List<Path> checkpoints(RunFolder run) {
    Path dir = run.dir().resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(s.filter(p -> p.getFileName().toString().matches("step-\\d+") && Files.isDirectory(p))
          .sorted().toList());
    } catch (IOException e) {
      return List.of();
    }
  }

  /** the update a checkpoint folder was written at */
  public static long step(Path checkpoint) {
    return Long.parseLong(checkpoint.getFileName().toString().substring("step-".length()));
  }

  public RunFolder source() {
    return source;
  }

  /** the source run's spec as it was run */
  public RunSpec sourceSpec() {
    return sourceSpec;
  }

  public List<Path> checkpointFolders() {
    return List.copyOf(checkpoints);
  }

  /** the dialog of the wizard, not yet opened */
  public static WizardDialog dialog(Shell shell, RestartWizard wizard) {
    WizardDialog d = new WizardDialog(shell, wizard);
    d.setPageSize(NewExperimentWizard.PAGE_WIDTH, NewExperimentWizard.PAGE_HEIGHT);
    return d;
  }
}
