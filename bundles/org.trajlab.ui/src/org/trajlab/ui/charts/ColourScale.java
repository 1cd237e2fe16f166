package org.trajlab.ui.charts;

import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.events.PaintEvent;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * The legend of a chart coloured by value (a heat map's cells, a scatter's points): a vertical {@link Colormap} bar
 * from the smallest value (bottom) to the largest (top), titled, with the two ends and the middle labelled. It takes
 * the chart's right edge; with nothing to show it paints nothing.
 */
public final class ColourScale extends Canvas {
  /** the width the scale takes beside its chart, at least (a longer title widens it) */
  public static final int WIDTH = 78;

  private String title = "";
  private double min = Double.NaN;
  private double max = Double.NaN;
  private boolean whole;
  /** the bar's values are log10 of what the labels show */
  private boolean log;

  ColourScale(Composite parent) {
    super(parent, SWT.NONE);
    GridData gd = new GridData(SWT.FILL, SWT.FILL, false, true);
    gd.widthHint = WIDTH;
    setLayoutData(gd);
    addPaintListener(this::paint);
  }

  /**
   * shows values from {@code min} to {@code max} under {@code title}; {@code whole}: the values are whole numbers
   * (steps), labelled as such; NaN bounds show nothing
   */
  void show(String title, double min, double max, boolean whole) {
    show(title, min, max, whole, false);
  }

  /** as {@link #show(String, double, double, boolean)}; {@code log}: min and max are log10 of the values labelled */
  void show(String title, double min, double max, boolean whole, boolean log) {
    this.log = log;
    this.title = title == null ? "" : title;
    this.min = min;
    this.max = max;
    this.whole = whole;
    GC gc = new GC(this);
    int width;
    try {
      width = Math.max(WIDTH, gc.textExtent(this.title).x + 8);
    } finally {
      gc.dispose();
    }
    GridData gd = (GridData) getLayoutData();
    if (gd.widthHint != width) { // a longer title widens the scale rather than being cut off
      gd.widthHint = width;
      getParent().layout(true);
    }
    redraw();
  }

  double min() {
    return min;
  }

  double max() {
    return max;
  }

  /** the label of value {@code v} of the bar */
  String label(double v) {
    return number(v);
  }

  /** the title shown above the bar */
  public String getTitle() {
    return title;
  }

  private void paint(PaintEvent e) {
    if (Double.isNaN(min) || Double.isNaN(max)) {
      return;
    }
    GC gc = e.gc;
    Rectangle area = getClientArea();
    int lineHeight = gc.getFontMetrics().getHeight();
    int top = lineHeight + 12;
    int bottom = area.height - lineHeight - 4;
    if (bottom - top < 20) {
      return;
    }
    gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_BLACK));
    gc.drawText(title, 4, 2, true);
    int barX = 4;
    int barWidth = 14;
    for (int py = top; py <= bottom; py++) {
      double v = max - (max - min) * (py - top) / (double) (bottom - top);
      gc.setForeground(Colormap.color(v, min, max));
      gc.drawLine(barX, py, barX + barWidth - 1, py);
    }
    gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY));
    gc.drawRectangle(barX, top, barWidth - 1, bottom - top);
    gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_BLACK));
    int labelX = barX + barWidth + 4;
    gc.drawText(number(max), labelX, top - lineHeight / 2, true);
    gc.drawText(number((min + max) / 2), labelX, (top + bottom) / 2 - lineHeight / 2, true);
    gc.drawText(number(min), labelX, bottom - lineHeight / 2, true);
  }

  private String number(double v) {
    if (log) {
      return LogScale.plain(Math.pow(10, v));
    }
    if (whole && Math.abs(v) < 1e7) {
      return Long.toString(Math.round(v));
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
