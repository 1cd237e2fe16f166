package org.trajlab.probes.lrscan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.lrscan.LrScanQuantities.*;

import java.util.List;
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
    assertEquals(5, g.charts().size());
    // the scan at one chosen update: L_B, L_B' and L_E over lambda, drawn together as a density
    assertEquals(org.trajlab.api.chart.ChartKind.DENSITY, g.charts().get(0).kind());
    assertEquals(List.of(LOSS_TRAIN_BATCH, LOSS_HELDOUT_BATCH, LOSS_TRAIN_EVAL),
        g.charts().get(0).series().stream().map(s -> s.quantity()).toList());
    assertEquals(LAMBDA_TRAIN_BATCH_MIN, g.charts().get(1).series().get(0).quantity());
    assertEquals(5, groups.get(SIDETRIP).charts().size());
    assertEquals(org.trajlab.api.chart.ChartKind.DENSITY, groups.get(SIDETRIP).charts().get(0).kind());
    assertEquals(DIST_TO_ENDPOINT, groups.get(BRANCH).charts().get(0).series().get(0).quantity());
  }
}
