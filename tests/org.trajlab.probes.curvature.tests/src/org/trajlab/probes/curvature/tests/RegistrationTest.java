package org.trajlab.probes.curvature.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.curvature.CurvatureQuantities.*;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trajlab.api.chart.ChartGroup;
import org.trajlab.api.chart.ChartRegistry;
import org.trajlab.api.probe.ProbeRegistry;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.probes.curvature.internal.CurvatureProbe;
import org.trajlab.probes.curvature.internal.NsgdProbe;
import org.trajlab.probes.curvature.internal.SubspaceProbe;

/** plugin.xml: the three probes and the curvature chart group are contributed and create through the registry */
public class RegistrationTest {
  @Test
  public void probesAndChartsAreRegistered() throws Exception {
    ProbeRegistry reg = ProbeRegistry.fromExtensions();
    assertTrue(reg.entries().keySet().containsAll(java.util.List.of(CURVATURE, SUBSPACE, NSGD)), reg.entries().keySet().toString());
    assertTrue(reg.create(new ProbeSpec(CURVATURE), "probes[0]") instanceof CurvatureProbe);
    ProbeSpec s = new ProbeSpec(SUBSPACE);
    s.params.put("mode", "no-top");
    assertTrue(reg.create(s, "probes[1]") instanceof SubspaceProbe);
    ProbeSpec n = new ProbeSpec(NSGD);
    n.params.put("gamma", 0.1);
    assertTrue(reg.create(n, "probes[2]") instanceof NsgdProbe);
    Map<String, ChartGroup> groups = ChartRegistry.fromExtensions();
    ChartGroup g = groups.get("curvature"); // the chart group of plugin.xml
    assertNotNull(g, groups.keySet().toString());
    assertEquals(5, g.charts().size());
    assertEquals(HESSIAN_EIG, g.charts().get(0).series().get(0).quantity());
  }
}
