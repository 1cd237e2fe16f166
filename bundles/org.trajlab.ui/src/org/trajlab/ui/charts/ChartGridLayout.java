package org.trajlab.ui.charts;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Layout;

/**
 * Lays chart panels out in rows of up to {@code columns} (fewer when the width cannot give each at least
 * {@value #MIN_COLUMN_WIDTH} px), each row at least as high as its tallest panel's {@link ChartPanel#minimumHeight()};
 * height beyond that is shared equally. Placed in a vertically scrolling composite, the panels never shrink below a
 * legible height: the view scrolls instead.
 */
public final class ChartGridLayout extends Layout {
  public static final int MIN_COLUMN_WIDTH = 440;
  public static final int SPACING = 10;
  private final int columns;

  public ChartGridLayout(int columns) {
    this.columns = Math.max(1, columns);
  }

  /** the columns used at {@code width} for {@code n} panels */
  public int columns(int width, int n) {
    int fit = Math.max(1, (width + SPACING) / (MIN_COLUMN_WIDTH + SPACING));
    return Math.max(1, Math.min(Math.min(columns, fit), n));
  }

  /** the height the panels of {@code composite} need at {@code width} */
  public int minimumHeight(Composite composite, int width) {
    int[] rows = rowMinimums(composite.getChildren(), columns(width, composite.getChildren().length));
    int h = 0;
    for (int r : rows) {
      h += r;
    }
    return h + SPACING * Math.max(0, rows.length - 1);
  }

  private static int[] rowMinimums(Control[] children, int cols) {
    int[] rows = new int[(children.length + cols - 1) / cols];
    for (int i = 0; i < children.length; i++) {
      int h = children[i] instanceof ChartPanel p ? p.minimumHeight() : children[i].computeSize(SWT.DEFAULT, SWT.DEFAULT).y;
      rows[i / cols] = Math.max(rows[i / cols], h);
    }
    return rows;
  }

  @Override
  protected Point computeSize(Composite composite, int wHint, int hHint, boolean flushCache) {
    int width = wHint != SWT.DEFAULT ? wHint : MIN_COLUMN_WIDTH;
    return new Point(width, minimumHeight(composite, width));
  }

  @Override
  protected void layout(Composite composite, boolean flushCache) {
    Rectangle area = composite.getClientArea();
    Control[] children = composite.getChildren();
    if (children.length == 0) {
      return;
    }
    int cols = columns(area.width, children.length);
    int[] rows = rowMinimums(children, cols);
    int spare = area.height - minimumHeight(composite, area.width);
    int extra = spare > 0 ? spare / rows.length : 0;
    int width = (area.width - SPACING * (cols - 1)) / cols;
    int y = area.y;
    for (int r = 0; r < rows.length; r++) {
      int h = rows[r] + extra;
      for (int c = 0; c < cols && r * cols + c < children.length; c++) {
        children[r * cols + c].setBounds(area.x + c * (width + SPACING), y, width, h);
      }
      y += h + SPACING;
    }
  }
}
