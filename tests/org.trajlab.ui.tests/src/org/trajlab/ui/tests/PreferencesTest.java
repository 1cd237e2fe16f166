package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.preference.IPreferenceNode;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.ui.EnginePreferencePage;
import org.trajlab.ui.UiPreferences;

/**
 * The preference pages: both are registered under trajlab and open with their fields; a new run's spec takes the
 * data folder of its dataset and the evaluation sizes from the preferences, and the defaults leave the default
 * experiment as it is.
 */
class PreferencesTest {
  @TempDir
  Path temp;

  @AfterEach
  void defaults() {
    IPreferenceStore s = UiPreferences.store();
    for (String key : List.of(UiPreferences.TRAIN_EVAL_SIZE, UiPreferences.TEST_SIZE, UiPreferences.EVAL_EVERY,
        UiPreferences.DATA_DIRS.get("cifar10"), UiPreferences.JAVACPP_CACHE, UiPreferences.THREADS)) {
      s.setToDefault(key);
    }
  }

  @Test
  void theDefaultsLeaveTheDefaultExperimentAsItIs() {
    RunSpec spec = Specs.defaultExperiment();
    RunSpec before = Specs.defaultExperiment();
    UiPreferences.applyDefaults(spec);
    assertEquals(before.data.trainEvalSize, spec.data.trainEvalSize);
    assertEquals(before.data.testSize, spec.data.testSize);
    assertEquals(before.eval.every, spec.eval.every);
  }

  @Test
  void aNewRunTakesItsDataFolderAndEvaluationSizesFromThePreferences() {
    IPreferenceStore s = UiPreferences.store();
    s.setValue(UiPreferences.DATA_DIRS.get("cifar10"), temp.toString());
    s.setValue(UiPreferences.TRAIN_EVAL_SIZE, 1234);
    s.setValue(UiPreferences.TEST_SIZE, 500);
    s.setValue(UiPreferences.EVAL_EVERY, 25);
    RunSpec spec = Specs.defaultExperiment();
    spec.data.dataset = "cifar10";
    UiPreferences.applyDefaults(spec);
    assertEquals(temp.toString(), spec.data.dir);
    assertEquals(1234, spec.data.trainEvalSize);
    assertEquals(500, spec.data.testSize);
    assertEquals(25, spec.eval.every);
    RunSpec named = Specs.defaultExperiment();
    named.data.dataset = "cifar10";
    named.data.dir = "/elsewhere";
    UiPreferences.applyDefaults(named);
    assertEquals("/elsewhere", named.data.dir, "a spec's own folder wins");
  }

  @Test
  void bothPagesAreRegisteredAndShowTheirFields() {
    IPreferenceNode node = PlatformUI.getWorkbench().getPreferenceManager()
        .find("org.trajlab.ui.preferences/" + EnginePreferencePage.ID);
    assertNotNull(node, "no Evaluation and engine page under trajlab");
    for (String id : List.of("org.trajlab.ui.preferences", EnginePreferencePage.ID)) {
      PreferenceDialog d = PreferencesUtil.createPreferenceDialogOn(null, id, null, null);
      d.setBlockOnOpen(false);
      d.open();
      try {
        List<String> labels = labels(d.getShell());
        System.out.println("PreferencesTest: " + id + ": " + labels);
        if (id.equals(EnginePreferencePage.ID)) {
          assertTrue(labels.containsAll(List.of("Train-eval examples:", "Test examples (0: all):",
              "Evaluate every (updates):", "Native libraries folder (JavaCPP cache):", "Threads (0: every core):")), labels.toString());
        } else {
          assertTrue(labels.containsAll(List.of("Runs folder:", "Fashion-MNIST folder:", "MNIST folder:",
              "CIFAR-10 folder:", "CIFAR-100 folder:", "Text folder:")), labels.toString());
        }
        String error = ((org.eclipse.jface.preference.IPreferencePage) d.getSelectedPage()).getErrorMessage();
        assertNull(error, error);
      } finally {
        d.close();
      }
    }
  }

  /** the labels' texts without mnemonics */
  private static List<String> labels(Control c) {
    List<String> out = new ArrayList<>();
    if (c instanceof Label l) {
      out.add(l.getText().replace("&", ""));
    }
    if (c instanceof Composite comp) {
      for (Control child : comp.getChildren()) {
        out.addAll(labels(child));
      }
    }
    return out;
  }

  /**
   * the threads preference reaches the engine as trajlab.threads at the next start, unless the command line set it;
   * 0 leaves the natives' default
   */
  @Test
  void theThreadsPreferenceBecomesTheEnginesPropertyUnlessTheCommandLineSetIt() {
    String before = System.getProperty(UiPreferences.THREADS_PROPERTY);
    try {
      System.clearProperty(UiPreferences.THREADS_PROPERTY);
      UiPreferences.applyThreads();
      assertNull(System.getProperty(UiPreferences.THREADS_PROPERTY), "0 sets no thread count");
      UiPreferences.store().setValue(UiPreferences.THREADS, 3);
      UiPreferences.applyThreads();
      assertEquals("3", System.getProperty(UiPreferences.THREADS_PROPERTY));
      System.setProperty(UiPreferences.THREADS_PROPERTY, "1");
      UiPreferences.applyThreads();
      assertEquals("1", System.getProperty(UiPreferences.THREADS_PROPERTY), "the command line's value wins");
    } finally {
      if (before == null) {
        System.clearProperty(UiPreferences.THREADS_PROPERTY);
      } else {
        System.setProperty(UiPreferences.THREADS_PROPERTY, before);
      }
    }
  }
}
