package org.trajlab.engine;

import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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
    nd.put("backend", Nd4j.getBackend().getClass().getSimpleName());
    try {
      nd.put("blas_vendor", String.valueOf(Nd4j.factory().blas().getBlasVendor()));
      nd.put("blas_threads", Nd4j.factory().blas().getMaxThreads());
    } catch (RuntimeException e) {
      nd.put("blas_vendor", "unknown");
    }
    nd.put("max_threads", Nd4j.getEnvironment().maxThreads());
    nd.put("max_master_threads", Nd4j.getEnvironment().maxMasterThreads());
    nd.put("OMP_NUM_THREADS", System.getenv("OMP_NUM_THREADS"));
    nd.put("OMP_WAIT_POLICY", System.getenv("OMP_WAIT_POLICY"));
    nd.put("threads_requested", System.getProperty(org.trajlab.dl4j.Nd4jSetup.THREADS, System.getenv("TRAJLAB_THREADS")));
    nd.put("omp_threads", org.trajlab.dl4j.Nd4jSetup.threads()[0]);
    nd.put("javacpp_cachedir", System.getProperty("org.bytedeco.javacpp.cachedir"));
    nd.put("dl4j_helpers_enabled", !"true".equals(System.getProperty("org.eclipse.deeplearning4j.helpers.disable")));
    m.put("nd4j", nd);
    m.put("precision", precision);
    m.put("data", data.summary());
    return m;
  }
}
