package org.trajlab.ui.charts;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Layout;

/**
 * Lays chart panels out in rows of up to {@code columns} (fewer when the width cannot give each at least
 * {@value #MIN_COLUMN_WIDTH} px), each row at least as high as its tallest panel's {@link ChartPanel#minimumHeight()}.
 * The rows that fit from {@link #getFirstRow()} on are shown, sharing the spare height; the others are hidden, and
 * the view scrolls by whole rows.
 * <p>
 * Whole rows, not a scrolled composite: SWTChart draws its tick marks after replacing the clipping with their own
 * bounds, so a chart cut by a scrolled viewport drew its axes over the tab row and the status line on GTK. A chart
 * is therefore shown whole or not at all (only a view too short for a single row cuts it to its height).
 */
public final class ChartGridLayout extends Layout {
  public static final int MIN_COLUMN_WIDTH = 440;
  public static final int SPACING = 10;
  private final int columns;
  private int firstRow;

  public ChartGridLayout(int columns) {
    this.columns = Math.max(1, columns);
  }

  /** the columns used at {@code width} for {@code n} panels */
  public int columns(int width, int n) {
    int fit = Math.max(1, (width + SPACING) / (MIN_COLUMN_WIDTH + SPACING));
    return Math.max(1, Math.min(Math.min(columns, fit), n));
  }

  /** each row's minimum height at {@code width} */
  public int[] rowMinimums(Composite composite, int width) {
    Control[] children = composite.getChildren();
    int cols = columns(width, children.length);
    int[] rows = new int[(children.length + cols - 1) / cols];
    for (int i = 0; i < children.length; i++) {
      int h = children[i] instanceof ChartPanel p ? p.minimumHeight() : children[i].computeSize(SWT.DEFAULT, SWT.DEFAULT).y;
      rows[i / cols] = Math.max(rows[i / cols], h);
    }
    return rows;
  }

  /** how many rows fit in {@code area} from the first shown on (at least 1) */
  public int visibleRows(Composite composite, Rectangle area) {
    int[] rows = rowMinimums(composite, area.width);
    int first = first(rows, area.height);
    int used = 0;
    int n = 0;
    for (int r = first; r < rows.length; r++) {
      used += rows[r] + (n == 0 ? 0 : SPACING);
      if (used > area.height && n > 0) {
        break;
      }
      n++;
    }
    return Math.max(1, n);
  }

  /** the first row shown, as asked by {@link #setFirstRow(int)} but never leaving space the rows could fill */
  private int first(int[] rows, int height) {
    int first = Math.max(0, Math.min(firstRow, rows.length - 1));
    int used = -SPACING;
    int fromEnd = rows.length;
    while (fromEnd > 0 && used + SPACING + rows[fromEnd - 1] <= height) {
      used += SPACING + rows[fromEnd - 1];
      fromEnd--;
    }
    return Math.min(first, Math.max(0, fromEnd == rows.length ? rows.length - 1 : fromEnd));
  }

  public int getFirstRow() {
    return firstRow;
  }

  /** shows the rows from {@code row} on (the layout must then be redone) */
  public void setFirstRow(int row) {
    firstRow = Math.max(0, row);
  }

  /** the row of child {@code index} at {@code width} */
  public int rowOf(Composite composite, int index, int width) {
    return index / columns(width, composite.getChildren().length);
  }

  @Override
  protected Point computeSize(Composite composite, int wHint, int hHint, boolean flushCache) {
    int width = wHint != SWT.DEFAULT ? wHint : MIN_COLUMN_WIDTH;
    int[] rows = rowMinimums(composite, width);
    return new Point(width, rows.length == 0 ? 0 : rows[0]);
  }

  @Override
  protected void layout(Composite composite, boolean flushCache) {
    Rectangle area = composite.getClientArea();
    Control[] children = composite.getChildren();
    if (children.length == 0) {
      return;
    }
    int cols = columns(area.width, children.length);
    int[] rows = rowMinimums(composite, area.width);
    int first = first(rows, area.height);
    int shown = visibleRows(composite, area);
    int needed = -SPACING;
    for (int r = first; r < first + shown; r++) {
      needed += SPACING + rows[r];
    }
    int spare = area.height - needed;
    int width = (area.width - SPACING * (cols - 1)) / cols;
    int y = area.y;
    for (int r = 0; r < rows.length; r++) {
      boolean visible = r >= first && r < first + shown;
      // a view too short for one row cuts it to its height rather than letting it hang out of the view
      int h = shown == 1 && spare < 0 ? area.height : rows[r] + Math.max(0, spare) / shown;
      for (int c = 0; c < cols && r * cols + c < children.length; c++) {
        Control child = children[r * cols + c];
        child.setVisible(visible);
        if (visible) {
          child.setBounds(area.x + c * (width + SPACING), y, width, h);
        }
      }
      if (visible) {
        y += h + SPACING;
      }
    }
  }
}
