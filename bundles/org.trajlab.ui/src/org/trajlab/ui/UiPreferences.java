package org.trajlab.ui;

import java.nio.file.Path;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.ui.preferences.ScopedPreferenceStore;
import org.trajlab.api.store.RunStore;

/** The workbench's preferences (node {@code org.trajlab.ui}): where runs live and where the data is. */
public final class UiPreferences {
  public static final String NODE = "org.trajlab.ui";
  /** folder holding the run folders; defaults to {@link RunStore#defaultRoot()} */
  public static final String RUNS_ROOT = "runsRoot";
  /** folder with the Fashion-MNIST IDX files; empty means the Debian package's folder */
  public static final String FASHION_MNIST_DIR = "fashionMnistDir";
  /** where Debian's dataset-fashion-mnist package puts the files */
  public static final String DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

  private static IPreferenceStore store;

  private UiPreferences() {}

  public static synchronized IPreferenceStore store() {
    if (store == null) {
      store = new ScopedPreferenceStore(InstanceScope.INSTANCE, NODE);
    }
    return store;
  }

  public static Path runsRoot() {
    String root = store().getString(RUNS_ROOT);
    return root.isBlank() ? RunStore.defaultRoot() : Path.of(root.trim());
  }

  /** the data folder to put into a new run's spec, or "" to leave the engine's default (the Debian folder) */
  public static String fashionMnistDir() {
    return store().getString(FASHION_MNIST_DIR).trim();
  }
}
