package org.trajlab.ui.wizards;

import java.nio.file.Path;

import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.widgets.Shell;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.ui.UiPreferences;

/**
 * File &gt; New &gt; Experiment… (and the toolbar): a new run, starting from the default experiment with the data folder
 * of the preferences, edited on the pages contributed for "new".
 */
public class NewExperimentWizard extends SpecWizard {
  public static final String TITLE = "New Experiment";
  /** the wizard's page area: room for the forms and a legible schedule plot */
  public static final int PAGE_WIDTH = 900;
  public static final int PAGE_HEIGHT = 560;

  public NewExperimentWizard(RunSpec spec, Path outputRoot, ExperimentRunner runner) {
    super(WizardPageRegistry.NEW, TITLE, spec, outputRoot, runner);
  }

  /** the default experiment, with the preferences' data folder */
  public static RunSpec firstSpec() {
    RunSpec spec = Specs.defaultExperiment();
    String dataDir = UiPreferences.fashionMnistDir();
    if (!dataDir.isEmpty()) {
      spec.data.dir = dataDir;
    }
    spec.name = "experiment";
    return spec;
  }

  /** the dialog of a new wizard, not yet opened */
  public static WizardDialog dialog(Shell shell, ExperimentRunner runner) {
    WizardDialog d = new WizardDialog(shell, new NewExperimentWizard(firstSpec(), UiPreferences.runsRoot(), runner));
    d.setPageSize(PAGE_WIDTH, PAGE_HEIGHT);
    return d;
  }
}
