package org.trajlab.ui;

import org.eclipse.jface.preference.DirectoryFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;

/**
 * Window &gt; Preferences &gt; trajlab: the runs folder and the data folder of each dataset that reads files (a new
 * run's {@code data.dir} when its spec names none).
 */
public class TrajlabPreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {

  public TrajlabPreferencePage() {
    super(GRID);
    setDescription("Where trajlab keeps its runs and finds its data.");
  }

  @Override
  public void init(IWorkbench workbench) {
    setPreferenceStore(UiPreferences.store());
  }

  @Override
  protected void createFieldEditors() {
    DirectoryFieldEditor runsRoot = new DirectoryFieldEditor(UiPreferences.RUNS_ROOT, "&Runs folder:",
        getFieldEditorParent()) {
      @Override
      protected boolean doCheckState() {
        return !getStringValue().isBlank(); // created with the first run, so it need not exist yet
      }
    };
    runsRoot.setErrorMessage("Choose a folder for the runs.");
    addField(runsRoot);

    DirectoryFieldEditor data = new DirectoryFieldEditor(UiPreferences.FASHION_MNIST_DIR, "&Fashion-MNIST folder:",
        getFieldEditorParent());
    data.setEmptyStringAllowed(true);
    data.getLabelControl(getFieldEditorParent())
        .setToolTipText("Empty: the Debian package's folder " + UiPreferences.DEBIAN_FASHION_MNIST);
    addField(data);

    for (String[] d : new String[][] { { "mnist", "&MNIST folder:" }, { "cifar10", "&CIFAR-10 folder:" },
        { "cifar100", "CIFAR-1&00 folder:" }, { "text", "&Text folder:" } }) {
      DirectoryFieldEditor f = new DirectoryFieldEditor(UiPreferences.DATA_DIRS.get(d[0]), d[1], getFieldEditorParent());
      f.setEmptyStringAllowed(true);
      f.getLabelControl(getFieldEditorParent()).setToolTipText("Empty: a " + d[0] + " run's spec must name data.dir");
      addField(f);
    }
  }
}
