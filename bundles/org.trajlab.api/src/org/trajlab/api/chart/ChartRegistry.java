package org.trajlab.api.chart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.RegistryFactory;

/** Chart groups contributed to {@code org.trajlab.api.charts}. */
public final class ChartRegistry {
  public static final String EXTENSION_POINT = "org.trajlab.api.charts";

  private ChartRegistry() {}

  public static Map<String, ChartGroup> fromExtensions() {
    IExtensionRegistry reg = RegistryFactory.getRegistry();
    Map<String, ChartGroup> groups = new LinkedHashMap<>();
    if (reg == null) {
      return groups;
    }
    for (IConfigurationElement g : reg.getConfigurationElementsFor(EXTENSION_POINT)) {
      if (!"group".equals(g.getName())) {
        continue;
      }
      List<ChartDescriptor> charts = new ArrayList<>();
      for (IConfigurationElement c : g.getChildren("chart")) {
        List<SeriesDescriptor> series = new ArrayList<>();
        for (IConfigurationElement s : c.getChildren("series")) {
          series.add(SeriesDescriptor.of(s.getAttribute("probe"), s.getAttribute("quantity"), s.getAttribute("label"),
              s.getAttribute("x"), s.getAttribute("style")));
        }
        charts.add(new ChartDescriptor(c.getAttribute("id"), c.getAttribute("title"), c.getAttribute("xLabel"),
            c.getAttribute("yLabel"), Boolean.parseBoolean(c.getAttribute("logY")), List.copyOf(series)));
      }
      groups.put(g.getAttribute("id"), new ChartGroup(g.getAttribute("id"), g.getAttribute("name"), List.copyOf(charts)));
    }
    return groups;
  }
}
