package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** environment.json says which ND4J backend computed the run, on which devices, with how many threads. */
public class EnvironmentInfoTest {
  @TempDir
  Path tmp;

  @Test
  public void environmentNamesTheBackendItsDevicesAndThreads() throws Exception {
    RunSpec s = Specs.defaultExperiment();
    s.training.steps = 3L;
    s.data.trainSize = 500;
    s.data.trainEvalSize = 100;
    s.probes.clear();
    RunFolder f = RunFolder.create(tmp.resolve("env"));
    RunOutcome o = TestData.runner().run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    JsonNode nd = new ObjectMapper().readTree(Files.readString(f.file(RunFolder.ENVIRONMENT))).get("nd4j");
    // the build's backend: nd4j-native (the CUDA backend is an optional feature, not in this build)
    assertEquals(Nd4j.getBackend().getClass().getName(), nd.get("backend_class").asText());
    assertEquals("org.nd4j.linalg.cpu.nativecpu.CpuBackend", nd.get("backend_class").asText());
    assertEquals(Nd4j.getEnvironment().maxThreads(), nd.get("nd4j_threads").asInt());
    assertTrue(nd.get("nd4j_threads").asInt() >= 1, nd.toString());
    assertTrue(nd.get("omp_threads").isIntegralNumber() && nd.get("omp_threads").asInt() >= 1, nd.toString());
    // the oneDNN library the convolution stacks train on is loaded and says its version
    assertEquals("on, oneDNN 2.5.2", nd.get("onednn_conv_stacks").asText(), nd.toString());
    JsonNode devices = nd.get("devices");
    assertEquals(1, devices.size(), nd.toString());
    assertEquals("cpu", devices.get(0).get("type").asText());
    assertTrue(devices.get(0).get("cores").asInt() >= 1, nd.toString());
  }
}
