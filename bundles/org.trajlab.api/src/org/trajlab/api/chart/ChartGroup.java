package org.trajlab.api.chart;

import java.util.List;

/** The charts one instrument view shows (e.g. "walk": interpolated loss, cosine, distance). */
public record ChartGroup(String id, String name, List<ChartDescriptor> charts) {
}
