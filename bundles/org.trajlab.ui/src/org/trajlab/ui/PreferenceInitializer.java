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
  }
}
