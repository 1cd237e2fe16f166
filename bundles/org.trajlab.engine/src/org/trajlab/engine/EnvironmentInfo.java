package org.trajlab.engine;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.nd4j.linalg.factory.Nd4j;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.trajlab.engine.data.LoadedData;

/** environment.json: what a reader needs to judge or repeat a run's numbers. */
final class EnvironmentInfo {
  private EnvironmentInfo() {}

  static Map<String, Object> collect(LoadedData data, String precision) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("created", Instant.now().toString());
    Bundle self = FrameworkUtil.getBundle(EnvironmentInfo.class);
    m.put("trajlab_version", self == null ? "unknown" : self.getVersion().toString());
    Bundle dl4j = FrameworkUtil.getBundle(Nd4j.class);
    m.put("dl4j_bundle", dl4j == null ? "unknown" : dl4j.getSymbolicName() + " " + dl4j.getVersion());
    m.put("dl4j_version", org.trajlab.dl4j.Nd4jSetup.dl4jVersion());
    m.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    try {
      m.put("host", InetAddress.getLocalHost().getHostName());
    } catch (Exception e) {
      m.put("host", "unknown");
    }
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    Map<String, Object> nd = new LinkedHashMap<>();
    // the backend ND4J chose at start-up: the available one of highest priority (CpuBackend; JCublasBackend when the
    // optional CUDA feature is installed and a GPU is there; BACKEND_PRIORITY_CPU / BACKEND_PRIORITY_GPU reorder them)
    nd.put("backend", Nd4j.getBackend().getClass().getSimpleName());
    nd.put("backend_class", Nd4j.getBackend().getClass().getName());
    try {
      nd.put("blas_vendor", String.valueOf(Nd4j.factory().blas().getBlasVendor()));
      nd.put("blas_threads", Nd4j.factory().blas().getMaxThreads());
      // the kernels OpenBLAS runs (Haswell: AVX2, SkylakeX: AVX-512) and who chose them (Nd4jSetup.blasKernelsFor)
      nd.put("blas_kernels", org.trajlab.dl4j.Nd4jSetup.blasKernels());
      nd.put("blas_kernels_reason", org.trajlab.dl4j.Nd4jSetup.blasKernelsReason());
    } catch (RuntimeException e) {
      nd.put("blas_vendor", "unknown");
    }
    // ND4J's threads for its own loops, and the OpenMP threads of libnd4j as they are now (BLAS and oneDNN run on
    // them; the threads preference sets them: Nd4jSetup.applyThreads)
    nd.put("nd4j_threads", Nd4j.getEnvironment().maxThreads());
    nd.put("omp_threads", org.trajlab.dl4j.Nd4jSetup.threads()[0]);
    Properties info = Nd4j.getExecutioner().getEnvironmentInformation();
    nd.put("devices", devices(info));
    nd.put("max_master_threads", Nd4j.getEnvironment().maxMasterThreads());
    nd.put("OMP_NUM_THREADS", System.getenv("OMP_NUM_THREADS"));
    nd.put("OMP_WAIT_POLICY", System.getenv("OMP_WAIT_POLICY"));
    nd.put("threads_requested", System.getProperty(org.trajlab.dl4j.Nd4jSetup.THREADS, System.getenv("TRAJLAB_THREADS")));
    nd.put("javacpp_cachedir", System.getProperty("org.bytedeco.javacpp.cachedir"));
    // FLOAT stacks of convolutions and poolings train on oneDNN's primitives directly (OneDnnConvStack)
    nd.put("onednn_conv_stacks", org.trajlab.engine.models.OneDnnConvStack.describeLibrary());
    nd.put("dl4j_helpers_enabled", !"true".equals(System.getProperty("org.eclipse.deeplearning4j.helpers.disable")));
    m.put("nd4j", nd);
    m.put("precision", precision);
    m.put("data", data.summary());
    return m;
  }

  private static Object number(Object v) {
    if (v instanceof Number) return v;
    if (v == null) return null;
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      return v.toString();
    }
  }

  /**
   * The devices ND4J computes on: for the CUDA backend each GPU as ND4J reports it (name, memory; the
   * {@code cuda.devicesInformation} of its environment information), for the CPU backend one CPU with its cores.
   */
  static List<Map<String, Object>> devices(Properties info) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (info.get("cuda.devicesInformation") instanceof List<?> gpus) {
      for (Object g : gpus) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("type", "gpu");
        if (g instanceof Map<?, ?> gm) {
          gm.forEach((k, v) -> d.put(String.valueOf(k).replace("cuda.", ""), v instanceof Number ? v : String.valueOf(v)));
        } else {
          d.put("description", String.valueOf(g));
        }
        out.add(d);
      }
    }
    if (out.isEmpty()) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("type", "cpu");
      d.put("cores", number(info.getOrDefault("cores", Runtime.getRuntime().availableProcessors())));
      out.add(d);
    }
    return out;
  }
}
