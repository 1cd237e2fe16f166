package org.trajlab.ui;

import org.eclipse.jface.preference.DirectoryFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;

/**
 * Window &gt; Preferences &gt; trajlab &gt; Evaluation and engine: the evaluation sizes a new run starts with
 * ({@code data.trainEvalSize}, {@code data.testSize}, {@code eval.every}) and the folder where the engine's native
 * libraries are unpacked (JavaCPP's cache, read at the next start).
 */
public class EnginePreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {
  public static final String ID = "org.trajlab.ui.preferences.engine";

  public EnginePreferencePage() {
    super(GRID);
    setDescription("What a new run evaluates on, and where the engine keeps its native libraries.");
  }

  @Override
  public void init(IWorkbench workbench) {
    setPreferenceStore(UiPreferences.store());
  }

  @Override
  protected void createFieldEditors() {
    IntegerFieldEditor trainEval = new IntegerFieldEditor(UiPreferences.TRAIN_EVAL_SIZE,
        "Train-eval &examples:", getFieldEditorParent());
    trainEval.setValidRange(1, 10_000_000);
    trainEval.setErrorMessage("The train-eval size is a whole number of examples, at least 1.");
    addField(trainEval);
    IntegerFieldEditor test = new IntegerFieldEditor(UiPreferences.TEST_SIZE, "&Test examples (0: all):",
        getFieldEditorParent());
    test.setValidRange(0, 10_000_000);
    test.setErrorMessage("The test size is a whole number of examples, 0 for the whole test set.");
    addField(test);
    IntegerFieldEditor every = new IntegerFieldEditor(UiPreferences.EVAL_EVERY, "E&valuate every (updates):",
        getFieldEditorParent());
    every.setValidRange(1, Integer.MAX_VALUE);
    every.setErrorMessage("Evaluate every whole number of updates, at least 1.");
    addField(every);
    DirectoryFieldEditor cache = new DirectoryFieldEditor(UiPreferences.JAVACPP_CACHE,
        "&Native libraries folder (JavaCPP cache):", getFieldEditorParent());
    cache.setEmptyStringAllowed(true);
    cache.getLabelControl(getFieldEditorParent()).setToolTipText("Empty: the launcher's default ($TRAJLAB_JAVACPP_CACHE,"
        + " else ~/.cache/trajlab/javacpp-...); a change takes effect when the workbench starts again");
    addField(cache);
    IntegerFieldEditor threads = new IntegerFieldEditor(UiPreferences.THREADS, "T&hreads (0: every core):",
        getFieldEditorParent());
    threads.setValidRange(0, 4096);
    threads.setErrorMessage("Threads is a whole number, 0 (every core) or more.");
    threads.getLabelControl(getFieldEditorParent()).setToolTipText("The threads of the engine's operations and BLAS"
        + " calls (trajlab.threads); recorded in each run's environment.json; a change takes effect when the workbench"
        + " starts again");
    addField(threads);
  }
}
