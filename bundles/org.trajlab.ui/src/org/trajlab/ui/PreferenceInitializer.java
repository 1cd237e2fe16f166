package org.trajlab.ui;

import org.eclipse.core.runtime.preferences.AbstractPreferenceInitializer;
import org.eclipse.core.runtime.preferences.DefaultScope;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.trajlab.api.store.RunStore;

/** Defaults: runs under {@link RunStore#defaultRoot()}, data from the Debian package's folder. */
public class PreferenceInitializer extends AbstractPreferenceInitializer {
  @Override
  public void initializeDefaultPreferences() {
    IEclipsePreferences defaults = DefaultScope.INSTANCE.getNode(UiPreferences.NODE);
    defaults.put(UiPreferences.RUNS_ROOT, RunStore.defaultRoot().toString());
    defaults.put(UiPreferences.FASHION_MNIST_DIR, "");
    for (String key : UiPreferences.DATA_DIRS.values()) {
      defaults.put(key, "");
    }
    // the spec's own defaults (DataSpec, EvalSpec): a fresh workbench runs what the command line would
    org.trajlab.api.spec.RunSpec spec = new org.trajlab.api.spec.RunSpec();
    defaults.putInt(UiPreferences.TRAIN_EVAL_SIZE, spec.data.trainEvalSize);
    defaults.putInt(UiPreferences.TEST_SIZE, spec.data.testSize == null ? 0 : spec.data.testSize);
    defaults.putInt(UiPreferences.EVAL_EVERY, spec.eval.every);
    defaults.put(UiPreferences.JAVACPP_CACHE, "");
    defaults.putInt(UiPreferences.THREADS, 0);
  }
}
