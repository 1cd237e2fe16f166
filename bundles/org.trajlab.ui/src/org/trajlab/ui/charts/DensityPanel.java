package org.trajlab.ui.charts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swtchart.ILineSeries.PlotSymbolType;
import org.eclipse.swtchart.LineStyle;
import org.eclipse.swtchart.extensions.linecharts.ILineSeriesData;
import org.eclipse.swtchart.extensions.linecharts.ILineSeriesSettings;
import org.eclipse.swtchart.extensions.linecharts.LineChart;
import org.eclipse.swtchart.extensions.linecharts.LineSeriesData;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartKind;
import org.trajlab.api.chart.DensityData;
import org.trajlab.api.chart.SeriesData;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.store.MetricRow;

/**
 * {@link ChartKind#DENSITY}: the values over the grid (x = the rows' index, e.g. λ) at one step, chosen in the
 * "Shown at" selector, which lists the steps with rows; until one is chosen, and again when the latest is chosen,
 * it follows the latest step as the run writes new ones. The series' id is "label at step t" and the chart's title
 * ends with "at step t". On a log y axis the chart plots log10 of the positive values (φ ≤ 0 is left out).
 * <p>
 * Series of different probes are alternative sources of one quantity, picked in the Probe selector (the spectral
 * density of the curvature, subspace or nsgd probe); series of the same probe are drawn together, one curve each
 * (the single-step scan's L_B, L_B′ and L_E over λ at one update).
 */
public class DensityPanel extends ChartPanel {
  private final Combo stepCombo;
  /** the step chosen in the selector, or null to follow the latest */
  private Long chosenStep;
  /** the step drawn, or null */
  private Long step;
  private List<Long> stepItems = List.of();
  private boolean empty = true;

  DensityPanel(Composite parent, ChartDescriptor d) {
    super(parent, d);
    hoverShowsPoints();
    stepCombo = combo("Shown at:");
    stepCombo.addListener(SWT.Selection, e -> {
      int i = stepCombo.getSelectionIndex();
      if (i >= 0) {
        chosenStep = i == stepItems.size() - 1 ? null : stepItems.get(i); // the latest: follow the latest again
        update(rows());
      }
    });
  }

  /** a Probe selector only when the series come from several probes */
  @Override
  protected boolean selectsSource() {
    return descriptor.series().stream().map(SeriesDescriptor::probe).distinct().count() > 1;
  }

  /** a probe is offered (by its first series) when any of its series has rows */
  @Override
  protected boolean hasRowsFor(SeriesDescriptor s, Collection<MetricRow> all) {
    SeriesDescriptor first = descriptor.series().stream().filter(d -> d.probe().equals(s.probe())).findFirst().orElseThrow();
    return first == s && descriptor.series().stream().anyMatch(d -> d.probe().equals(s.probe()) && hasRows(d, all));
  }

  /** the series drawn together: every declared series of the chosen source's probe */
  private List<SeriesDescriptor> drawnWith(SeriesDescriptor source) {
    return descriptor.series().stream().filter(d -> d.probe().equals(source.probe())).toList();
  }

  @Override
  protected void sourceChanged() {
    chosenStep = null; // another probe's steps: follow its latest
  }

  @Override
  protected void redraw(Collection<MetricRow> all) {
    SeriesDescriptor source = source(all);
    List<SeriesDescriptor> drawn = drawnWith(source);
    java.util.TreeSet<Long> steps = new java.util.TreeSet<>();
    List<DensityData> densities = new ArrayList<>();
    for (SeriesDescriptor d : drawn) {
      DensityData density = DensityData.extract(d, all);
      densities.add(density);
      steps.addAll(density.steps());
    }
    stepItems = List.copyOf(steps);
    String[] items = stepItems.stream().map(t -> "step " + t).toArray(String[]::new);
    if (!List.of(stepCombo.getItems()).equals(List.of(items))) {
      stepCombo.setItems(items);
    }
    step = chosenStep != null && stepItems.contains(chosenStep) ? chosenStep
        : stepItems.isEmpty() ? null : stepItems.get(stepItems.size() - 1);
    if (step != null) {
      stepCombo.select(stepItems.indexOf(step));
    }
    List<ILineSeriesData> data = new ArrayList<>();
    for (int k = 0; step != null && k < drawn.size(); k++) {
      SeriesData xy = densities.get(k).at(step);
      List<double[]> kept = new ArrayList<>();
      for (int i = 0; i < xy.size(); i++) {
        double x = xy.x()[i];
        double y = xy.y()[i];
        if (!Double.isFinite(x) || !(descriptor.logY() ? LogScale.drawable(y) : Double.isFinite(y))) {
          continue;
        }
        kept.add(new double[] { x, descriptor.logY() ? Math.log10(y) : y });
      }
      if (!kept.isEmpty()) {
        String id = seriesId(drawn.get(k), step);
        LineSeriesData line = new LineSeriesData(new org.eclipse.swtchart.extensions.core.SeriesData(
            kept.stream().mapToDouble(p -> p[0]).toArray(), kept.stream().mapToDouble(p -> p[1]).toArray(), id));
        ILineSeriesSettings s = line.getLineSeriesSettings();
        s.setDescription(id);
        s.setEnableArea(false);
        s.setLineColor(color(PALETTE[k % PALETTE.length]));
        s.setLineStyle(LineStyle.SOLID);
        s.setLineWidth(1);
        s.setSymbolType(PlotSymbolType.NONE);
        data.add(line);
      }
    }
    chart.getBaseChart().getTitle().setText(step == null ? descriptor.title() : descriptor.title() + " at step " + step);
    chart.deleteSeries();
    chart.addSeriesData(data, LineChart.NO_COMPRESSION);
    empty = data.isEmpty();
    note(empty, drawn.toArray(SeriesDescriptor[]::new));
  }

  /** the SWTChart series id of the curve at {@code step}: "label at step t" */
  public static String seriesId(SeriesDescriptor source, long step) {
    return source.label() + " at step " + step;
  }

  @Override
  public boolean hasData() {
    return !empty;
  }

  /** the step drawn, or null */
  public Long getStep() {
    return step;
  }

  /** lists "step t" for every step with rows, ascending */
  public Combo getStepCombo() {
    return stepCombo;
  }
}
