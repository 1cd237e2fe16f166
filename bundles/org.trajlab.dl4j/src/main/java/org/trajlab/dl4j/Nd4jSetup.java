package org.trajlab.dl4j;

import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one start-up call ND4J needs inside OSGi. ND4J finds its backend with a ServiceLoader on a class loader it
 * captures once, from the first thread that touches it; a thread whose context class loader is the JDK's (an
 * executor, a plain Thread, an Eclipse Job) would make it fail with NoAvailableBackendException. Call
 * {@link #init()} before the first ND4J use, from any thread.
 */
public final class Nd4jSetup {
  private static volatile boolean done;

  private Nd4jSetup() {}

  public static synchronized void init() {
    if (done) {
      return;
    }
    ClassLoader loader = Nd4jSetup.class.getClassLoader();
    Thread t = Thread.currentThread();
    ClassLoader old = t.getContextClassLoader();
    t.setContextClassLoader(loader);
    try {
      ND4JClassLoading.setNd4jClassloader(loader);
      if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
        System.setProperty("org.bytedeco.javacpp.cachedir",
            System.getProperty("user.home") + "/.cache/trajlab/javacpp-1.0.0-M2.1-onednn");
      }
      // DL4J's oneDNN helpers are off unless this is false (the shim in org.nd4j.nativeblas makes them work)
      if (System.getProperty("org.eclipse.deeplearning4j.helpers.disable") == null) {
        System.setProperty("org.eclipse.deeplearning4j.helpers.disable", "false");
      }
      Nd4j.getBackend();
      // periodic System.gc() from ND4J's memory manager costs tens of ms at random steps
      Nd4j.getMemoryManager().togglePeriodicGc(false);
      done = true;
    } finally {
      t.setContextClassLoader(old);
    }
  }

  /** Runs {@code r} with the ND4J class loader as the thread context class loader. */
  public static <T> T withNd4jLoader(java.util.concurrent.Callable<T> c) throws Exception {
    init();
    Thread t = Thread.currentThread();
    ClassLoader old = t.getContextClassLoader();
    t.setContextClassLoader(Nd4jSetup.class.getClassLoader());
    try {
      return c.call();
    } finally {
      t.setContextClassLoader(old);
    }
  }
}
