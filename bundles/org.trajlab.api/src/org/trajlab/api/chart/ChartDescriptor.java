package org.trajlab.api.chart;

import java.util.List;

/** A chart of one or more series, as declared in a probe bundle's plugin.xml. */
public record ChartDescriptor(String id, String title, String xLabel, String yLabel, boolean logY,
    List<SeriesDescriptor> series) {
}
