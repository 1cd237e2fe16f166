package org.trajlab.dl4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;

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
      // before the natives load: OpenBLAS reads OPENBLAS_CORETYPE once, when it is loaded
      chooseBlasKernels();
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

  /** The environment variable OpenBLAS reads when it loads: the kernels to use instead of the ones it detects. */
  public static final String CORETYPE = "OPENBLAS_CORETYPE";

  /**
   * The system property that says which OpenBLAS kernels trajlab runs ({@code -Dtrajlab.blasKernels=...}; else
   * {@code $TRAJLAB_BLAS_KERNELS}): {@code auto} (the default, see {@link #blasKernelsFor}), {@code openblas} (OpenBLAS's
   * own choice, or {@code OPENBLAS_CORETYPE} when set), or a kernel name of OpenBLAS ({@code Haswell}, {@code SkylakeX},
   * ...).
   */
  public static final String BLAS_KERNELS = "trajlab.blasKernels";

  /** the AVX-512 instruction sets OpenBLAS's SkylakeX kernels use */
  private static final List<String> AVX512 = List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

  private static volatile String blasKernelsReason = "OpenBLAS's own choice";
  private static volatile String blasKernelsAsked;

  /**
   * The OpenBLAS kernels trajlab asks for, or null to leave them to OpenBLAS (and {@code OPENBLAS_CORETYPE}).
   * {@code auto}: the OpenBLAS that ND4J 1.0.0-M2.1 embeds (0.3.19) does not know AMD's processors with AVX-512 (Zen 4
   * and Zen 5) and runs its AVX2 kernels (Haswell) on them; its AVX-512 kernels (SkylakeX), which OpenBLAS 0.3.22 and
   * later pick for those processors themselves, ran double-precision products 1.45–1.55× faster on this project's
   * 2-core AMD EPYC machines ([2560 × 784]·[784 × 300]: 14.7 → 10.0 ms) and single-precision ones at the same speed.
   * So {@code auto} asks for SkylakeX on an AMD processor with AVX-512 (over an {@code OPENBLAS_CORETYPE} of the
   * environment: this machine kind's sets Haswell) and for nothing on any other processor (OpenBLAS 0.3.19 knows
   * Intel's).
   *
   * @param setting {@code auto}, {@code openblas} or a kernel name ({@link #BLAS_KERNELS})
   * @param vendor the processor's vendor_id ({@code /proc/cpuinfo}), null when unknown
   * @param flags its instruction-set flags
   * @throws IllegalArgumentException in one sentence when the setting is not one of those
   */
  public static String blasKernelsFor(String setting, String vendor, Set<String> flags) {
    String s = setting == null || setting.isBlank() ? "auto" : setting.trim();
    if (s.equals("openblas")) return null;
    if (s.equals("auto")) return "AuthenticAMD".equals(vendor) && flags.containsAll(AVX512) ? "SkylakeX" : null;
    if (!s.matches("[A-Za-z][A-Za-z0-9]*")) {
      throw new IllegalArgumentException("The OpenBLAS kernels (" + BLAS_KERNELS + " or TRAJLAB_BLAS_KERNELS) must be"
          + " auto, openblas or a kernel name such as Haswell or SkylakeX, not '" + s + "'.");
    }
    return s;
  }

  /** why OpenBLAS runs the kernels it runs: its own choice, OPENBLAS_CORETYPE, or trajlab's setting */
  public static String blasKernelsReason() {
    init();
    return blasKernelsReason;
  }

  /** the kernels trajlab asked OpenBLAS for in this process, null when it left them to OpenBLAS */
  public static String blasKernelsAsked() {
    init();
    return blasKernelsAsked;
  }

  /** sets OPENBLAS_CORETYPE in this process when {@link #blasKernelsFor} asks for kernels on this processor */
  private static void chooseBlasKernels() {
    String setting = System.getProperty(BLAS_KERNELS, System.getenv("TRAJLAB_BLAS_KERNELS"));
    String before = System.getenv(CORETYPE);
    String vendor = null;
    Set<String> flags = Set.of();
    try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      for (String line : (Iterable<String>) lines::iterator) {
        int colon = line.indexOf(':');
        if (colon < 0) continue;
        String key = line.substring(0, colon).trim();
        if (key.equals("vendor_id") && vendor == null) vendor = line.substring(colon + 1).trim();
        if (key.equals("flags")) {
          flags = new java.util.HashSet<>(List.of(line.substring(colon + 1).trim().split("\\s+")));
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc/cpuinfo: auto asks for nothing
    }
    String kernels = blasKernelsFor(setting, vendor, flags);
    String env = before == null || before.isBlank() ? "" : " (" + CORETYPE + "=" + before + " in the environment)";
    if (kernels == null) {
      blasKernelsReason = (before == null || before.isBlank() ? "OpenBLAS's own choice" : CORETYPE + "=" + before)
          + ", " + BLAS_KERNELS + "=" + (setting == null ? "auto" : setting.trim());
      return;
    }
    try {
      LibC.INSTANCE.setenv(CORETYPE, kernels, 1);
      blasKernelsAsked = kernels;
      blasKernelsReason = "trajlab: " + kernels + (setting == null || setting.trim().equals("auto")
          ? " for an AMD processor with AVX-512, which OpenBLAS 0.3.19 does not know" : ", " + BLAS_KERNELS) + env;
    } catch (Throwable e) { // no JNA here: OpenBLAS decides
      blasKernelsReason = "OpenBLAS's own choice" + env + "; " + kernels + " could not be asked for: " + e.getMessage();
    }
  }

  /** the C library's setenv, through JNA (which the bundle embeds): Java cannot change its process's environment */
  private interface LibC extends com.sun.jna.Library {
    LibC INSTANCE = com.sun.jna.Native.loadLibrary("c", LibC.class);

    int setenv(String name, String value, int overwrite);
  }

  /**
   * The kernels the loaded OpenBLAS runs ({@code openblas_get_corename} of ND4J's {@code libopenblas_nolapack} in this
   * process, e.g. {@code Haswell}, {@code SkylakeX}); "unknown" when it cannot be asked. The library is looked up with
   * {@code RTLD_NOLOAD}, never loaded again, and with {@code RTLD_LOCAL}: JNA's default {@code RTLD_GLOBAL} would put
   * its symbols into the process's global scope, where the other OpenBLAS that JavaCPP loads (the one with LAPACK)
   * then bound to them, and the two libraries' memory tables mixed ("BLAS : Bad memory unallocation", then a crash in
   * sgemm in the next training run).
   */
  public static String blasKernels() {
    init();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
        int slash = line.indexOf('/');
        if (slash < 0 || !line.substring(slash).contains("/libopenblas_nolapack.so")) continue;
        var lib = com.sun.jna.NativeLibrary.getInstance(line.substring(slash),
            java.util.Map.of(com.sun.jna.Library.OPTION_OPEN_FLAGS, RTLD_LAZY | RTLD_NOLOAD));
        return lib.getFunction("openblas_get_corename").invokeString(new Object[0], false).trim();
      }
    } catch (Throwable e) {
      // below
    }
    return "unknown";
  }

  /** dlopen's flags (Linux): resolve lazily; only a library already loaded, not a second copy */
  private static final int RTLD_LAZY = 0x1;
  private static final int RTLD_NOLOAD = 0x4;

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
