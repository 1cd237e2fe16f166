package org.trajlab.probes.lrscan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.lrscan.LrScanQuantities.*;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trajlab.api.chart.ChartGroup;
import org.trajlab.api.chart.ChartRegistry;
import org.trajlab.api.probe.ProbeRegistry;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.probes.lrscan.internal.LrScanProbe;
import org.trajlab.probes.lrscan.internal.SideTripProbe;

/** plugin.xml: the probes and their chart groups are contributed and create through the registry */
public class RegistrationTest {
  @Test
  public void probesAndChartsAreRegistered() throws Exception {
    ProbeRegistry reg = ProbeRegistry.fromExtensions();
    assertTrue(reg.entries().keySet().containsAll(java.util.List.of(LRSCAN, SIDETRIP, BRANCH)), reg.entries().keySet().toString());
    assertTrue(reg.create(new ProbeSpec(LRSCAN), "probes[0]") instanceof LrScanProbe);
    assertTrue(reg.create(new ProbeSpec(SIDETRIP), "probes[1]") instanceof SideTripProbe);
    Map<String, ChartGroup> groups = ChartRegistry.fromExtensions();
    ChartGroup g = groups.get(LRSCAN);
    assertNotNull(g, groups.keySet().toString());
    assertEquals(4, g.charts().size());
    assertEquals(LAMBDA_TRAIN_BATCH_MIN, g.charts().get(0).series().get(0).quantity());
    assertEquals(4, groups.get(SIDETRIP).charts().size());
    assertEquals(DIST_TO_ENDPOINT, groups.get(BRANCH).charts().get(0).series().get(0).quantity());
  }
}
