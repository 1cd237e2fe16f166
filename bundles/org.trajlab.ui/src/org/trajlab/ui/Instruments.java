package org.trajlab.ui;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.ILog;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.trajlab.api.chart.ChartGroup;
import org.trajlab.api.chart.ChartRegistry;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.store.RunFolder;

/** The instrument views the installed bundles declare, and which of them draw a given run's probes. */
public final class Instruments {
  private Instruments() {}

  /** the declared chart groups by id; a declaration that cannot be drawn is left out and logged */
  public static Map<String, ChartGroup> groups() {
    return ChartRegistry.fromExtensions(problem -> ILog.of(Instruments.class).warn(problem));
  }

  /** the probe types in {@code run}'s spec.json, or null when it cannot be read (not written yet, say) */
  public static Set<String> specProbes(RunFolder run) {
    try {
      RunSpec spec = run.readSpec();
      Set<String> probes = new LinkedHashSet<>();
      for (ProbeSpec p : spec.probes) {
        probes.add(p.type);
      }
      return probes;
    } catch (Exception e) { // missing, being written, or from another version: the views then go by rows alone
      return null;
    }
  }

  /**
   * the groups that can draw a run with {@code probes} in its spec, in declaration order: a chart with a series whose
   * probes the run has (a scatter of λ_1^H against λ_1^K needs both the curvature and the noise probe)
   */
  public static List<ChartGroup> drawing(Set<String> probes) {
    return groups().values().stream().filter(g -> g.drawnWith(probes)).toList();
  }

  /** opens (and activates) the instrument view of group {@code id} */
  public static void show(IWorkbenchPage page, String id) throws PartInitException {
    page.showView(InstrumentView.ID, id, IWorkbenchPage.VIEW_ACTIVATE);
  }
}
