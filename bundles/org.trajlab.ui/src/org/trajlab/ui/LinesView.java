package org.trajlab.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.action.Action;
import org.eclipse.swt.SWT;
import org.eclipse.swt.events.PaintEvent;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.ICustomPaintListener;
import org.eclipse.ui.part.ViewPart;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartKind;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.ui.charts.ChartGridLayout;
import org.trajlab.ui.charts.ChartPanel;

/**
 * The Lines view (paper 002): the loss and the accuracy along the line θ(α) = (1 − α)θ_A + αθ_B between two runs,
 * one curve per evaluated set (train-eval, test), α on the x axis, the two runs marked by dashed vertical lines at
 * α = 0 (labelled A) and α = 1 (B). It shows a line folder ({@code lines.csv} and {@code summary.json}, see
 * {@link LineFolder}): the one the Runs view's "Line between runs" just computed, or one chosen with the view's
 * "Open line folder" action. The charts are the generic renderer's lines charts ({@link ChartPanel}): the loss on a
 * log axis, the accuracy on a linear one.
 */
public class LinesView extends ViewPart {
  public static final String ID = "org.trajlab.ui.linesView";
  public static final String LOSS_CHART = "line.loss";
  public static final String ACC_CHART = "line.acc";
  /** the colour of the marks at α = 0 and 1 */
  public static final int END_COLOR = SWT.COLOR_DARK_GRAY;

  private Composite root;
  private Label header;
  private Composite content;
  private final Map<String, ChartPanel> panels = new LinkedHashMap<>();
  private LineFolder line;

  @Override
  public void createPartControl(Composite parent) {
    HeaderColumn column = HeaderColumn.in(parent);
    root = column.root();
    header = column.header();
    header.setText("Select two runs in the Runs view and choose \"Line between runs\" from its context menu, or open"
        + " a folder written by trajlab line A B --out DIR.");
    content = new Composite(root, SWT.NONE);
    content.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    content.setLayout(new ChartGridLayout(2));
    getViewSite().getActionBars().getToolBarManager().add(new Action("Open line folder…") {
      @Override
      public void run() {
        DirectoryDialog d = new DirectoryDialog(root.getShell());
        d.setText("Open a line between runs");
        d.setMessage("A folder with lines.csv and summary.json (trajlab line A B --out DIR)");
        d.setFilterPath(UiPreferences.runsRoot().resolve(LineJob.LINES_FOLDER).toString());
        String dir = d.open();
        if (dir != null) {
          showLine(Path.of(dir));
        }
      }
    });
    getViewSite().getActionBars().updateActionBars();
  }

  /** shows the line in {@code dir}; a folder that is not a line is said in the header, one sentence */
  public void showLine(Path dir) {
    LineFolder read;
    try {
      read = LineFolder.read(dir);
    } catch (IOException e) {
      header.setText(e.getMessage());
      root.layout(true);
      return;
    }
    line = read;
    panels.values().forEach(ChartPanel::dispose);
    panels.clear();
    List<SeriesDescriptor> loss = new ArrayList<>();
    List<SeriesDescriptor> acc = new ArrayList<>();
    for (String set : read.sets()) {
      loss.add(SeriesDescriptor.of(LineFolder.PROBE, LineFolder.quantity("loss", set), set, "step+index", "line"));
      acc.add(SeriesDescriptor.of(LineFolder.PROBE, LineFolder.quantity("acc", set), set, "step+index", "line"));
    }
    String x = "α  (θ = (1 − α)·θ_A + α·θ_B)";
    add(new ChartDescriptor(LOSS_CHART, ChartKind.LINES, "Loss along the line from A to B", x, "loss", true,
        ChartDescriptor.DEFAULT_DECADES, "lines.csv has no losses.", loss));
    add(new ChartDescriptor(ACC_CHART, ChartKind.LINES, "Accuracy along the line from A to B", x, "accuracy", false,
        ChartDescriptor.DEFAULT_DECADES, "lines.csv has no accuracies.", acc));
    header.setText("A (α = 0): " + read.a() + paren(read.aDetail()) + "     B (α = 1): " + read.b()
        + paren(read.bDetail()) + "\n" + read.dir());
    setContentDescription("");
    setTitleToolTip(read.a() + " – " + read.b() + "\n" + read.dir());
    root.layout(true, true);
    content.layout(true);
    for (ChartPanel p : panels.values()) {
      p.update(read.rows());
    }
  }

  private static String paren(String s) {
    return s.isEmpty() ? "" : " (" + s + ")";
  }

  private void add(ChartDescriptor d) {
    ChartPanel p = ChartPanel.create(content, d);
    p.getChart().getPlotArea().addCustomPaintListener(new ICustomPaintListener() {
      @Override
      public void paintControl(PaintEvent e) {
        paintEnds(p, e.gc);
      }

      @Override
      public boolean drawBehindSeries() {
        return true; // the curves stay readable where they cross the marks
      }
    });
    panels.put(d.id(), p);
  }

  /** the pixel column of α in {@code chart}'s plot area, or -1 when nothing is drawn */
  public int endX(String chart, double alpha) {
    ChartPanel p = panels.get(chart);
    if (p == null || !p.hasData()) {
      return -1;
    }
    return p.getChart().getAxisSet().getXAxis(0).getPixelCoordinate(alpha);
  }

  /** dashed vertical lines at α = 0 and α = 1, labelled A and B at the top of the plot */
  private void paintEnds(ChartPanel p, GC gc) {
    if (!p.hasData()) {
      return;
    }
    IAxis x = p.getChart().getAxisSet().getXAxis(0);
    Point size = p.getChart().getPlotArea().getSize();
    gc.setForeground(root.getDisplay().getSystemColor(END_COLOR));
    for (double alpha : new double[] { 0, 1 }) {
      int px = x.getPixelCoordinate(alpha);
      if (px < 0 || px >= size.x) {
        continue;
      }
      gc.setLineStyle(SWT.LINE_DASH);
      gc.drawLine(px, 0, px, size.y - 1);
      gc.setLineStyle(SWT.LINE_SOLID);
      gc.drawText(alpha == 0 ? "A" : "B", px + 3, 2, true);
    }
  }

  /** the line shown, or null */
  public LineFolder getLine() {
    return line;
  }

  /** chart id -> its renderer */
  public Map<String, ChartPanel> getPanels() {
    return Collections.unmodifiableMap(panels);
  }

  /** the text above the charts: both ends, or why nothing is shown */
  public String getHeader() {
    return header.getText();
  }

  @Override
  public void setFocus() {
    root.setFocus();
  }
}
