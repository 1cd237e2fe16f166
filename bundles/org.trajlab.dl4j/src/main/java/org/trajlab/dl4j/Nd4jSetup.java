package org.trajlab.dl4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The one start-up call ND4J needs inside OSGi. ND4J finds its backend with a ServiceLoader on a class loader it
 * captures once, from the first thread that touches it; a thread whose context class loader is the JDK's (an
 * executor, a plain Thread, an Eclipse Job) would make it fail with NoAvailableBackendException. Call
 * {@link #init()} before the first ND4J use, from any thread.
 *
 * <p>It also knows what the bundle embeds: {@link #dl4jVersion()} and {@link #nativesClassifier()} come from
 * {@code dl4j.properties}, which the bundle's Maven build fills in from its pom (the one place the DL4J version is
 * written), and {@link #init()} points JavaCPP at {@link #defaultJavacppCache()} unless
 * {@code -Dorg.bytedeco.javacpp.cachedir} says otherwise.
 */
public final class Nd4jSetup {
  private static final String CACHEDIR = "org.bytedeco.javacpp.cachedir";
  private static volatile boolean done;
  private static volatile Properties build;

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
      if (System.getProperty(CACHEDIR) == null) {
        System.setProperty(CACHEDIR, defaultJavacppCache());
      }
      // DL4J's oneDNN helpers are off unless this is false (the shim in org.nd4j.nativeblas makes them work)
      if (System.getProperty("org.eclipse.deeplearning4j.helpers.disable") == null) {
        System.setProperty("org.eclipse.deeplearning4j.helpers.disable", "false");
      }
      Nd4j.getBackend();
      int threads = requestedThreads(System.getProperty(THREADS), System.getenv("TRAJLAB_THREADS"));
      if (threads > 0) {
        applyThreads(threads);
      }
      // periodic System.gc() from ND4J's memory manager costs tens of ms at random steps
      Nd4j.getMemoryManager().togglePeriodicGc(false);
      done = true;
    } finally {
      t.setContextClassLoader(old);
    }
  }

  /**
   * The system property that sets how many threads ND4J's operations and BLAS use ({@code -Dtrajlab.threads=N}, the
   * workbench's preference; else {@code $TRAJLAB_THREADS}); unset: the natives' default ({@code OMP_NUM_THREADS}, or
   * every core).
   */
  public static final String THREADS = "trajlab.threads";

  /**
   * the thread count asked for: {@code property}, else {@code env}; 0 when neither is set (the natives decide)
   *
   * @throws IllegalArgumentException in one sentence when the value is not a positive whole number
   */
  public static int requestedThreads(String property, String env) {
    String v = property != null && !property.isBlank() ? property.trim() : env != null && !env.isBlank() ? env.trim() : null;
    if (v == null) {
      return 0;
    }
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the sentence below
    }
    throw new IllegalArgumentException("The number of threads (" + THREADS + " or TRAJLAB_THREADS) must be a positive"
        + " whole number, not '" + v + "'.");
  }

  /**
   * sets the threads of ND4J's operations (OpenMP, as ND4J itself does from {@code OMP_NUM_THREADS} when it loads)
   * and of its BLAS calls to {@code n}. (ND4J's {@code Environment.setMaxThreads} does not change them in this
   * version: ThreadsTest found its count unchanged.)
   */
  public static void applyThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("The number of threads must be at least 1, not " + n + ".");
    }
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
    Nd4j.factory().blas().setMaxThreads(n);
  }

  /** the threads ND4J's operations use now (OpenMP's maximum) and its BLAS's */
  public static int[] threads() {
    init();
    return new int[] { NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(),
        Nd4j.factory().blas().getMaxThreads() };
  }

  /** The DL4J/ND4J version this bundle embeds, e.g. {@code 1.0.0-M2.1}. */
  public static String dl4jVersion() {
    return buildProperty("dl4j.version");
  }

  /** The nd4j-native classifier of the natives this bundle embeds, e.g. {@code linux-x86_64-onednn}. */
  public static String nativesClassifier() {
    return buildProperty("nd4j.classifier");
  }

  /**
   * Where JavaCPP unpacks ND4J's native libraries (~400 MB, once) unless {@code -Dorg.bytedeco.javacpp.cachedir} is
   * set: {@code $TRAJLAB_JAVACPP_CACHE} when set, else {@code $TRAJLAB_CACHE} (default {@code ~/.cache/trajlab})
   * {@code /javacpp-<DL4J version><variant>}, the variant being what the classifier adds to the platform
   * ({@code -onednn} for {@code linux-x86_64-onednn}): one folder per version and kind of natives.
   */
  public static String defaultJavacppCache() {
    String explicit = env("TRAJLAB_JAVACPP_CACHE");
    if (explicit != null) {
      return explicit;
    }
    String base = env("TRAJLAB_CACHE");
    if (base == null) {
      String home = env("HOME");
      base = (home != null ? home : System.getProperty("user.home")) + "/.cache/trajlab";
    }
    String classifier = nativesClassifier();
    int platformEnd = classifier.indexOf('-', classifier.indexOf('-') + 1); // linux-x86_64|-onednn
    return base + "/javacpp-" + dl4jVersion() + (platformEnd < 0 ? "" : classifier.substring(platformEnd));
  }

  /** An environment variable, null when unset or empty (as the launchers' {@code ${VAR:-default}} reads it). */
  private static String env(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? null : v;
  }

  private static String buildProperty(String key) {
    Properties p = build;
    if (p == null) {
      p = new Properties();
      try (InputStream in = Nd4jSetup.class.getResourceAsStream("dl4j.properties")) {
        if (in == null) {
          throw new IllegalStateException("org/trajlab/dl4j/dl4j.properties is missing from the DL4J library bundle");
        }
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("org/trajlab/dl4j/dl4j.properties could not be read", e);
      }
      build = p;
    }
    String v = p.getProperty(key);
    if (v == null || v.isBlank() || v.contains("${")) {
      throw new IllegalStateException("org/trajlab/dl4j/dl4j.properties has no " + key
          + " (the bundle must be built by its Maven build, which fills it in)");
    }
    return v;
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
