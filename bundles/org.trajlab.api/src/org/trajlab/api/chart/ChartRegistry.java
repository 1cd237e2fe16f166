package org.trajlab.api.chart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.RegistryFactory;

/**
 * Chart groups contributed to {@code org.trajlab.api.charts} (schema/charts.exsd). A chart whose declaration is
 * wrong (an unknown kind, an x placement its kind cannot draw...) is left out with one sentence naming the bundle and
 * the chart, so one bad contribution never hides the others.
 */
public final class ChartRegistry {
  public static final String EXTENSION_POINT = "org.trajlab.api.charts";

  private ChartRegistry() {}

  /** the contributed groups by id, in contribution order; problems go to standard error */
  public static Map<String, ChartGroup> fromExtensions() {
    return fromExtensions(System.err::println);
  }

  /** the contributed groups by id, in contribution order; each left-out chart or group is one sentence to {@code problems} */
  public static Map<String, ChartGroup> fromExtensions(Consumer<String> problems) {
    IExtensionRegistry reg = RegistryFactory.getRegistry();
    Map<String, ChartGroup> groups = new LinkedHashMap<>();
    if (reg == null) {
      return groups;
    }
    for (IConfigurationElement g : reg.getConfigurationElementsFor(EXTENSION_POINT)) {
      if (!"group".equals(g.getName())) {
        continue;
      }
      String bundle = g.getContributor().getName();
      List<ChartDescriptor> charts = new ArrayList<>();
      for (IConfigurationElement c : g.getChildren("chart")) {
        try {
          charts.add(chart(c));
        } catch (IllegalArgumentException e) {
          problems.accept("The chart '" + c.getAttribute("id") + "' of " + bundle + " is left out: " + e.getMessage() + ".");
        }
      }
      try {
        if (charts.isEmpty()) {
          throw new IllegalArgumentException("it has no chart that can be drawn");
        }
        groups.put(g.getAttribute("id"), new ChartGroup(g.getAttribute("id"), g.getAttribute("name"),
            integer(g.getAttribute("columns"), 1, "columns"), charts));
      } catch (IllegalArgumentException e) {
        problems.accept("The chart group '" + g.getAttribute("id") + "' of " + bundle + " is left out: " + e.getMessage() + ".");
      }
    }
    return groups;
  }

  private static ChartDescriptor chart(IConfigurationElement c) {
    ChartKind kind = ChartKind.of(c.getAttribute("kind"));
    List<SeriesDescriptor> series = new ArrayList<>();
    for (IConfigurationElement s : c.getChildren("series")) {
      series.add(kind == ChartKind.SCATTER ? scatterSeries(s) : series(kind, s));
    }
    if (series.isEmpty()) {
      throw new IllegalArgumentException("it has no series");
    }
    return new ChartDescriptor(c.getAttribute("id"), kind, c.getAttribute("title"), c.getAttribute("xLabel"),
        c.getAttribute("yLabel"), Boolean.parseBoolean(c.getAttribute("logY")),
        integer(c.getAttribute("decades"), ChartDescriptor.DEFAULT_DECADES, "decades"), c.getAttribute("hint"),
        Boolean.parseBoolean(c.getAttribute("logX")), number(c.getAttribute("hline"), "hline"), series);
  }

  private static SeriesDescriptor series(ChartKind kind, IConfigurationElement s) {
    for (String scatterOnly : new String[] { "xProbe", "xIndex", "colour", "colourProbe", "colourIndex" }) {
      if (s.getAttribute(scatterOnly) != null) {
        throw new IllegalArgumentException(scatterOnly + " belongs to scatter charts, not " + kind.attribute());
      }
    }
    SeriesDescriptor d = SeriesDescriptor.of(s.getAttribute("probe"), s.getAttribute("quantity"), s.getAttribute("label"),
        s.getAttribute("x"), s.getAttribute("style"), s.getAttribute("residual"), s.getAttribute("converged"));
    if (kind != ChartKind.LINES && d.xMode() != SeriesDescriptor.XMode.STEP) {
      throw new IllegalArgumentException("a " + kind.attribute() + " chart places its series itself; x='" + s.getAttribute("x")
          + "' is for lines charts");
    }
    if (kind != ChartKind.SPECTRUM && (d.residual() != null || d.converged() != null)) {
      throw new IllegalArgumentException("residual and converged belong to spectrum charts, not " + kind.attribute());
    }
    if (s.getAttribute("index") != null) {
      if (kind != ChartKind.LINES) {
        throw new IllegalArgumentException("index belongs to lines and scatter charts, not " + kind.attribute());
      }
      d = d.atIndex(number(s.getAttribute("index"), "index"));
    }
    return d;
  }

  /**
   * a scatter series: y = (probe, quantity) at {@code index}; x = {@code x} of {@code xProbe} (default the series'
   * probe) at {@code xIndex}; the colour {@code colour} ("step", or a quantity of {@code colourProbe}, default the
   * series' probe, at {@code colourIndex})
   */
  private static SeriesDescriptor scatterSeries(IConfigurationElement s) {
    if (s.getAttribute("residual") != null || s.getAttribute("converged") != null) {
      throw new IllegalArgumentException("residual and converged belong to spectrum charts, not scatter");
    }
    String probe = s.getAttribute("probe");
    String x = s.getAttribute("x");
    if (x == null || x.isBlank() || x.trim().startsWith("step")) {
      throw new IllegalArgumentException("a scatter series needs x, the quantity it plots its y against, not '" + x + "'");
    }
    QuantityRef xRef = new QuantityRef(or(s.getAttribute("xProbe"), probe), x.trim(), number(s.getAttribute("xIndex")));
    String colour = s.getAttribute("colour");
    QuantityRef colourRef = colour == null || colour.isBlank() ? null : QuantityRef.STEP.equals(colour.trim())
        ? QuantityRef.step() : new QuantityRef(or(s.getAttribute("colourProbe"), probe), colour.trim(),
            number(s.getAttribute("colourIndex")));
    return SeriesDescriptor.scatter(probe, s.getAttribute("quantity"), number(s.getAttribute("index")),
        s.getAttribute("label"), xRef, colourRef, s.getAttribute("style"));
  }

  private static String or(String value, String dflt) {
    return value == null || value.isBlank() ? dflt : value.trim();
  }

  /** an optional index attribute: null when absent */
  private static Double number(String value) {
    double v = number(value, "index");
    return Double.isNaN(v) ? null : v;
  }

  private static double number(String value, String name) {
    if (value == null || value.isBlank()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not '" + value + "'");
    }
  }

  private static int integer(String value, int dflt, String name) {
    if (value == null || value.isBlank()) {
      return dflt;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
    }
  }
}
