package org.trajlab.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.part.ViewPart;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartKind;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.MetricsReader;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunStatus;
import org.trajlab.ui.charts.ComparePanel;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Compare view: one quantity (probe, quantity and, for a quantity written per index, the index) over the updates
 * of every run selected in the Runs view, one curve per run, drawn by the generic renderer ({@link ComparePanel}, a
 * lines chart). Each curve is coloured by the run's η (the optimizer's lr), S (the batch size) or η/S, chosen in
 * <i>Colour by</i>, on a log colour scale beside the chart; the legend names each run by the spec fields that differ
 * between the selected runs ({@link SpecDifferences}). The combos offer what the selected runs' metrics have; runs
 * still training are re-read every second.
 */
public class CompareView extends ViewPart {
  public static final String ID = "org.trajlab.ui.compareView";
  public static final String CHART = "compare";
  /** the colourings offered, as the combo shows them */
  public static final List<String> COLOURINGS = List.of("η", "S", "η/S");
  public static final int POLL_MILLIS = 1000;

  private Composite root;
  private Label header;
  private Combo probeCombo;
  private Combo quantityCombo;
  private Combo indexCombo;
  private Combo colourCombo;
  private Button logButton;
  private Composite chartArea;
  private ComparePanel panel;

  /** the runs compared, in the Runs view's order */
  private final List<RunFolder> runs = new ArrayList<>();
  private final Map<RunFolder, List<MetricRow>> rows = new LinkedHashMap<>();
  private final Map<RunFolder, MetricsReader> readers = new LinkedHashMap<>();
  private final Map<RunFolder, JsonNode> specs = new LinkedHashMap<>();
  private final Map<RunFolder, Boolean> finals = new LinkedHashMap<>();
  private List<String> labels = List.of();
  /** the log y check box was set by hand for this quantity */
  private boolean logChosen;

  private final ISelectionListener runsListener = this::runsSelectionChanged;
  private final Runnable poller = this::poll;

  @Override
  public void createPartControl(Composite parent) {
    HeaderColumn column = HeaderColumn.in(parent);
    root = column.root();
    header = column.header();

    Composite controls = new Composite(root, SWT.NONE);
    controls.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    GridLayout cl = new GridLayout(9, false);
    cl.marginHeight = 0;
    controls.setLayout(cl);
    probeCombo = combo(controls, "Probe:", 110);
    quantityCombo = combo(controls, "Quantity:", 180);
    indexCombo = combo(controls, "Index:", 80);
    colourCombo = combo(controls, "Colour by:", 60);
    colourCombo.setItems(COLOURINGS.toArray(String[]::new));
    colourCombo.select(0);
    logButton = new Button(controls, SWT.CHECK);
    logButton.setText("Log y");
    probeCombo.addListener(SWT.Selection, e -> {
      logChosen = false;
      fillQuantities();
      redraw();
    });
    quantityCombo.addListener(SWT.Selection, e -> {
      logChosen = false;
      fillIndices();
      redraw();
    });
    indexCombo.addListener(SWT.Selection, e -> redraw());
    colourCombo.addListener(SWT.Selection, e -> redraw());
    logButton.addListener(SWT.Selection, e -> {
      logChosen = true;
      redraw();
    });

    chartArea = new Composite(root, SWT.NONE);
    chartArea.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    chartArea.setLayout(new FillLayout());

    getSite().getPage().addSelectionListener(RunsView.ID, runsListener);
    runsSelectionChanged(null, getSite().getPage().getSelection(RunsView.ID));
    if (runs.isEmpty()) {
      showRuns(List.of());
    }
  }

  private static Combo combo(Composite parent, String label, int width) {
    new Label(parent, SWT.NONE).setText(label);
    Combo c = new Combo(parent, SWT.READ_ONLY);
    c.setLayoutData(new GridData(width, SWT.DEFAULT));
    return c;
  }

  private void runsSelectionChanged(IWorkbenchPart part, ISelection selection) {
    if (!(selection instanceof IStructuredSelection s) || s.isEmpty()) {
      return; // keep what is compared while the Runs view's selection is cleared by a refresh
    }
    List<RunFolder> chosen = new ArrayList<>();
    for (Object o : s.toList()) {
      if (o instanceof RunFolder f) {
        chosen.add(f);
      }
    }
    if (!chosen.isEmpty()) {
      showRuns(chosen);
    }
  }

  /** compares {@code folders} (all their rows so far, then those they append while they run) */
  public void showRuns(List<RunFolder> chosen) {
    if (root == null || root.isDisposed()) {
      return;
    }
    List<RunFolder> folders = List.copyOf(chosen); // the caller's list may be ours (getRuns)
    List<java.nio.file.Path> now = runs.stream().map(RunFolder::dir).toList();
    if (!folders.isEmpty() && now.equals(folders.stream().map(RunFolder::dir).toList())) {
      return;
    }
    runs.clear();
    rows.clear();
    readers.clear();
    specs.clear();
    finals.clear();
    List<String> unreadable = new ArrayList<>();
    for (RunFolder f : folders) {
      JsonNode spec;
      try {
        spec = Specs.json().readTree(Files.readAllBytes(f.file(RunFolder.SPEC)));
      } catch (IOException e) {
        unreadable.add(f.name());
        continue;
      }
      runs.add(f);
      specs.put(f, spec);
      rows.put(f, new ArrayList<>());
      readers.put(f, f.metricsReader());
      finals.put(f, false);
    }
    labels = SpecDifferences.labels(runs.stream().map(specs::get).toList(),
        runs.stream().map(RunFolder::name).toList());
    readNew();
    String text;
    if (runs.isEmpty()) {
      text = unreadable.isEmpty()
          ? "Select runs in the Runs view (Ctrl+click for several) to compare them here."
          : "The spec.json of " + String.join(", ", unreadable) + " cannot be read.";
    } else {
      List<String> differing = SpecDifferences.named(runs.stream().map(specs::get).toList());
      text = runs.size() + (runs.size() == 1 ? " run" : " runs")
          + (runs.size() > 1 ? (differing.isEmpty() ? " with the same spec" : "; their specs differ in "
              + String.join(", ", differing)) : "")
          + (unreadable.isEmpty() ? "" : "; left out (spec.json unreadable): " + String.join(", ", unreadable)) + ".";
    }
    header.setText(text);
    setContentDescription("");
    setTitleToolTip(String.join("\n", runs.stream().map(RunFolder::name).toList()));
    fillProbes();
    redraw();
    root.layout(true, true);
    root.getDisplay().timerExec(-1, poller);
    if (finals.containsValue(false)) {
      root.getDisplay().timerExec(POLL_MILLIS, poller);
    }
  }

  /** reads every run's new rows; returns whether any were added */
  private boolean readNew() {
    boolean added = false;
    for (RunFolder f : runs) {
      if (finals.get(f)) {
        continue;
      }
      RunStatus status = f.readStatus(); // before the rows: once final, this read gets them all
      try {
        List<MetricRow> fresh = readers.get(f).readNew();
        added |= !fresh.isEmpty();
        rows.get(f).addAll(fresh);
      } catch (IOException e) {
        setContentDescription(f.name() + ": " + e.getMessage());
      }
      finals.put(f, status.state.isFinal());
    }
    return added;
  }

  private void poll() {
    if (root.isDisposed()) {
      return;
    }
    if (readNew()) {
      String probe = selected(probeCombo);
      String quantity = selected(quantityCombo);
      String index = selected(indexCombo);
      fillProbes();
      if (!java.util.Objects.equals(probe, selected(probeCombo)) || !java.util.Objects.equals(quantity, selected(quantityCombo))
          || !java.util.Objects.equals(index, selected(indexCombo))) {
        root.layout(true, true);
      }
      redraw();
    }
    if (finals.containsValue(false)) {
      root.getDisplay().timerExec(POLL_MILLIS, poller);
    }
  }

  /** every (probe, quantity) of the compared runs' rows: probe -> its quantities, sorted */
  private Map<String, Set<String>> available() {
    Map<String, Set<String>> m = new java.util.TreeMap<>();
    for (List<MetricRow> rs : rows.values()) {
      for (MetricRow r : rs) {
        m.computeIfAbsent(r.probe(), p -> new TreeSet<>()).add(r.quantity());
      }
    }
    return m;
  }

  private void fillProbes() {
    Map<String, Set<String>> a = available();
    String before = selected(probeCombo);
    setItems(probeCombo, a.keySet());
    if (before != null && a.containsKey(before)) {
      probeCombo.select(List.of(probeCombo.getItems()).indexOf(before));
    } else if (a.containsKey("eval")) {
      probeCombo.select(List.of(probeCombo.getItems()).indexOf("eval"));
    } else if (probeCombo.getItemCount() > 0) {
      probeCombo.select(0);
    }
    fillQuantities();
  }

  private void fillQuantities() {
    Set<String> qs = available().getOrDefault(selected(probeCombo), Set.of());
    String before = selected(quantityCombo);
    setItems(quantityCombo, qs);
    if (before != null && qs.contains(before)) {
      quantityCombo.select(List.of(quantityCombo.getItems()).indexOf(before));
    } else {
      List<String> items = List.of(quantityCombo.getItems());
      int i = items.indexOf("loss_test");
      quantityCombo.select(i >= 0 ? i : items.isEmpty() ? -1 : items.indexOf("loss") >= 0 ? items.indexOf("loss") : 0);
    }
    fillIndices();
  }

  /** the chosen quantity's indices (none: the combo is disabled) */
  private void fillIndices() {
    String probe = selected(probeCombo);
    String quantity = selected(quantityCombo);
    TreeSet<Double> indices = new TreeSet<>();
    for (List<MetricRow> rs : rows.values()) {
      for (MetricRow r : rs) {
        if (r.hasIndex() && r.probe().equals(probe) && r.quantity().equals(quantity)) {
          indices.add(r.index());
        }
      }
    }
    String before = selected(indexCombo);
    List<String> items = indices.stream().map(CompareView::indexText).toList();
    setItems(indexCombo, items);
    indexCombo.setEnabled(!items.isEmpty());
    if (before != null && items.contains(before)) {
      indexCombo.select(items.indexOf(before));
    } else if (!items.isEmpty()) {
      indexCombo.select(0);
    }
    if (!logChosen) {
      logButton.setSelection(quantity != null && quantity.startsWith("loss"));
    }
  }

  /** how the Index combo shows an index: 3 for rank 3, 0.25 for α = 0.25 */
  public static String indexText(double index) {
    return index == Math.rint(index) && Math.abs(index) < 1e15 ? Long.toString((long) index)
        : Double.toString(index);
  }

  private static void setItems(Combo c, java.util.Collection<String> items) {
    if (!List.of(c.getItems()).equals(List.copyOf(items))) {
      c.setItems(items.toArray(String[]::new));
    }
  }

  private static String selected(Combo c) {
    int i = c.getSelectionIndex();
    return i < 0 ? null : c.getItem(i);
  }

  /**
   * the rows drawn: run i's rows of the chosen probe, quantity and index as rows of probe {@code "run" + i}, one
   * series each (the renderer's series pick rows by probe and quantity)
   */
  private void redraw() {
    String probe = selected(probeCombo);
    String quantity = selected(quantityCombo);
    Double index = indexCombo.isEnabled() && selected(indexCombo) != null ? Double.valueOf(selected(indexCombo)) : null;
    List<SeriesDescriptor> series = new ArrayList<>();
    List<MetricRow> drawn = new ArrayList<>();
    Map<String, Double> colours = new LinkedHashMap<>();
    String colouring = selected(colourCombo);
    for (int i = 0; i < runs.size(); i++) {
      RunFolder f = runs.get(i);
      String id = "run" + i;
      if (quantity != null) {
        series.add(SeriesDescriptor.of(id, quantity, labels.get(i), "step", "line"));
        for (MetricRow r : rows.get(f)) {
          if (r.probe().equals(probe) && r.quantity().equals(quantity)
              && (index == null ? !r.hasIndex() : r.hasIndex() && r.index() == index)) {
            drawn.add(new MetricRow(r.step(), r.epoch(), id, quantity, Double.NaN, r.value()));
          }
        }
      }
      colours.put(labels.get(i), colourValue(specs.get(f), colouring));
    }
    if (panel != null) {
      panel.dispose();
      panel = null;
    }
    if (series.isEmpty()) {
      chartArea.layout(true);
      return;
    }
    String title = probe + " " + quantity + (index == null ? "" : " at index " + indexText(index));
    boolean log = logButton.getSelection();
    ChartDescriptor d = new ChartDescriptor(CHART, ChartKind.LINES, title, "update t", quantity, log,
        ChartDescriptor.DEFAULT_DECADES, "The selected runs have no " + quantity + " rows" + (index == null ? ""
            : " at index " + indexText(index)) + (log ? " above 0 (the y axis is logarithmic)." : "."), series);
    panel = new ComparePanel(chartArea, d);
    panel.colourBy(colouring, colours);
    chartArea.layout(true);
    panel.update(drawn);
  }

  /** the run's η (optimizer.lr), S (training.batchSize) or η/S, from its spec; NaN when the spec lacks it */
  public static double colourValue(JsonNode spec, String colouring) {
    double lr = spec.path("optimizer").path("lr").asDouble(Double.NaN);
    double s = spec.path("training").path("batchSize").asDouble(Double.NaN);
    return switch (colouring == null ? "η" : colouring) {
      case "S" -> s;
      case "η/S" -> lr / s;
      default -> lr;
    };
  }

  /** chooses probe, quantity and index (null for a quantity without indices) as a person would in the combos */
  public void choose(String probe, String quantity, Double index) {
    probeCombo.select(List.of(probeCombo.getItems()).indexOf(probe));
    logChosen = false;
    fillQuantities();
    quantityCombo.select(List.of(quantityCombo.getItems()).indexOf(quantity));
    fillIndices();
    if (index != null) {
      indexCombo.select(List.of(indexCombo.getItems()).indexOf(indexText(index)));
    }
    redraw();
    root.layout(true, true);
  }

  /** colours the runs by one of {@link #COLOURINGS} */
  public void colourBy(String colouring) {
    colourCombo.select(COLOURINGS.indexOf(colouring));
    redraw();
  }

  /** sets the log y check box as a person would */
  public void setLogY(boolean log) {
    logButton.setSelection(log);
    logChosen = true;
    redraw();
  }

  /** the runs compared */
  public List<RunFolder> getRuns() {
    return Collections.unmodifiableList(runs);
  }

  /** the legend's names of the runs compared, in order */
  public List<String> getLabels() {
    return labels;
  }

  /** the chart, or null while nothing is chosen */
  public ComparePanel getPanel() {
    return panel;
  }

  /** the text above the combos */
  public String getHeader() {
    return header.getText();
  }

  /** the combos' items: probe, quantity, index */
  public List<List<String>> getChoices() {
    return List.of(List.of(probeCombo.getItems()), List.of(quantityCombo.getItems()), List.of(indexCombo.getItems()));
  }

  @Override
  public void setFocus() {
    root.setFocus();
  }

  @Override
  public void dispose() {
    getSite().getPage().removeSelectionListener(RunsView.ID, runsListener);
    if (root != null && !root.isDisposed()) {
      root.getDisplay().timerExec(-1, poller);
    }
    super.dispose();
  }
}
