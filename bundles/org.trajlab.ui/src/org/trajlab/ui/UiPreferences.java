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

  /** the data folder of each dataset that reads files, by {@code data.dataset} (fashion-mnist: {@link #FASHION_MNIST_DIR}) */
  public static final java.util.Map<String, String> DATA_DIRS = java.util.Map.of("fashion-mnist", FASHION_MNIST_DIR,
      "mnist", "mnistDir", "cifar10", "cifar10Dir", "cifar100", "cifar100Dir", "text", "textDir");
  /** a new run's {@code data.trainEvalSize} */
  public static final String TRAIN_EVAL_SIZE = "trainEvalSize";
  /** a new run's {@code data.testSize}; 0 = the whole test set */
  public static final String TEST_SIZE = "testSize";
  /** a new run's {@code eval.every} */
  public static final String EVAL_EVERY = "evalEvery";
  /**
   * where JavaCPP unpacks the engine's native libraries (its system property {@value #JAVACPP_CACHEDIR_PROPERTY},
   * set when the workbench starts unless the command line sets it); empty = the launcher's default
   */
  public static final String JAVACPP_CACHE = "javacppCache";
  /**
   * how many threads the engine's natives use (0: their default, every core or {@code OMP_NUM_THREADS}); set as the
   * system property {@value #THREADS_PROPERTY} when the workbench starts unless the command line sets it, so a change
   * takes effect at the next start
   */
  public static final String THREADS = "threads";
  public static final String THREADS_PROPERTY = "trajlab.threads";
  public static final String JAVACPP_CACHEDIR_PROPERTY = "org.bytedeco.javacpp.cachedir";

  /** the data folder of {@code dataset} in the preferences, or "" */
  public static String dataDir(String dataset) {
    String key = DATA_DIRS.get(dataset);
    return key == null ? "" : store().getString(key).trim();
  }

  /**
   * fills a new run's spec from the preferences: the data folder of its dataset (when the spec has none) and the
   * default evaluation sizes
   */
  public static void applyDefaults(org.trajlab.api.spec.RunSpec spec) {
    String dir = dataDir(spec.data.dataset);
    if (spec.data.dir == null && !dir.isEmpty()) {
      spec.data.dir = dir;
    }
    spec.data.trainEvalSize = store().getInt(TRAIN_EVAL_SIZE);
    int test = store().getInt(TEST_SIZE);
    spec.data.testSize = test > 0 ? Integer.valueOf(test) : null;
    spec.eval.every = store().getInt(EVAL_EVERY);
  }

  /**
   * sets JavaCPP's cache folder from the preference, unless the command line set it; the engine reads it when it
   * first loads its natives, so a change takes effect at the next start
   */
  public static void applyJavacppCache() {
    String dir = store().getString(JAVACPP_CACHE).trim();
    if (!dir.isEmpty() && System.getProperty(JAVACPP_CACHEDIR_PROPERTY) == null) {
      System.setProperty(JAVACPP_CACHEDIR_PROPERTY, dir);
    }
  }

  /** sets the engine's thread count from the preference (when not 0), unless the command line set it */
  public static void applyThreads() {
    int n = store().getInt(THREADS);
    if (n > 0 && System.getProperty(THREADS_PROPERTY) == null) {
      System.setProperty(THREADS_PROPERTY, Integer.toString(n));
    }
  }
}
