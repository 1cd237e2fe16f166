package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.curvature.CurvatureQuantities.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;

/** The endpoint probe through the engine: the best-validation point among the measured ones, and its sharpness. */
public class EndpointRunTest {
  @TempDir
  static Path tmp;

  @Test
  public void bestValidationAndLastPointSharpnessGoToRowsAndSummary() throws Exception {
    Path grey = TestData.writeIdx(tmp.resolve("grey"), 300, 80, 8, 8, 13);
    RunSpec s = Specs.parse("{\"name\":\"endpoint\",\"seed\":1,\"precision\":\"double\",\"model\":{\"type\":\"mlp\",\"hidden\":[10]},"
        + "\"data\":{\"dataset\":\"mnist\",\"dir\":\"" + grey + "\",\"trainEvalSize\":200},\"optimizer\":{\"type\":\"sgd\",\"lr\":0.2},"
        + "\"training\":{\"steps\":24,\"batchSize\":25},\"eval\":{\"every\":6},"
        + "\"probes\":[{\"type\":\"endpoint\",\"schedule\":{\"every\":6},\"params\":{\"monitor\":\"acc_test\",\"k\":2,\"subset\":100}}]}");
    RunFolder f = RunFolder.create(tmp.resolve("run"));
    var o = TestData.runner().run(s, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    List<MetricRow> monitor = TestData.rows(f, ENDPOINT, MONITOR);
    assertEquals(List.of(1L, 7L, 13L, 19L, 24L), monitor.stream().map(MetricRow::step).toList());
    double evalAcc = TestData.rows(f, "eval", "acc_test").stream().filter(r -> r.step() == 24).findFirst().orElseThrow().value();
    assertEquals(evalAcc, monitor.get(4).value(), 1e-12, "no batch norm: the monitor is the eval row's accuracy");
    MetricRow best = monitor.get(0);
    for (MetricRow r : monitor) if (r.value() > best.value()) best = r;
    assertEquals(best.step(), (long) TestData.rows(f, ENDPOINT, BEST_STEP).get(0).value());
    assertEquals(best.value(), TestData.rows(f, ENDPOINT, BEST_MONITOR).get(0).value());
    double l1 = TestData.rows(f, ENDPOINT, HESSIAN_EIG_BEST).get(0).value();
    double l2 = TestData.rows(f, ENDPOINT, HESSIAN_EIG_BEST).get(1).value();
    assertTrue(l1 > 0 && Math.abs(l1) >= Math.abs(l2), l1 + ", " + l2);
    assertEquals(Math.sqrt(l1 * l1 + l2 * l2), TestData.rows(f, ENDPOINT, HESSIAN_FROBENIUS_TOP5_BEST).get(0).value(), 1e-12);
    Map<String, Object> summary = f.readSummary();
    Map<?, ?> e = (Map<?, ?>) summary.get(ENDPOINT);
    assertEquals(l1, ((Number) ((Map<?, ?>) e.get("best")).get("lambda_1")).doubleValue(), 0.0);
    assertEquals(24, ((Number) ((Map<?, ?>) e.get("last")).get("step")).intValue());
  }
}
