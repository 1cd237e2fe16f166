package org.trajlab.ui.charts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.ILineSeries;
import org.eclipse.swtchart.ILineSeries.PlotSymbolType;
import org.eclipse.swtchart.ISeries;
import org.eclipse.swtchart.LineStyle;
import org.eclipse.swtchart.extensions.core.ScrollableChart;
import org.eclipse.swtchart.extensions.menu.IChartMenuCategories;
import org.eclipse.swtchart.extensions.menu.IChartMenuEntry;

/**
 * Exports a chart as a PNG image (the chart as the screen shows it, colour scale included), as an SVG drawing
 * (written here: title, axes with their tick labels, grid, every series as a polyline and/or its points, a heat map's
 * cells, the reference line, a legend of the series) and its data as CSV (one row per plotted point; on a log axis
 * the value, not its log10). SWTChart 1.1.0's extensions library has the menu machinery but no exporters (they are
 * in {@code org.eclipse.swtchart.export}, which is not on Maven Central), so the chart's context menu gets our three
 * entries ({@link #menuEntries}).
 */
public final class ChartExport {
  public static final String PNG = "Export as PNG…";
  public static final String SVG = "Export as SVG…";
  public static final String CSV = "Export data as CSV…";

  private ChartExport() {}

  /** the chart's context menu entries that export {@code panel} */
  static List<IChartMenuEntry> menuEntries(ChartPanel panel) {
    return List.of(entry(panel, PNG, "png"), entry(panel, SVG, "svg"), entry(panel, CSV, "csv"));
  }

  private static IChartMenuEntry entry(ChartPanel panel, String name, String extension) {
    return new IChartMenuEntry() {
      @Override
      public String getCategory() {
        return IChartMenuCategories.EXPORT_CONVERTER;
      }

      @Override
      public String getName() {
        return name;
      }

      @Override
      public void execute(Shell shell, ScrollableChart chart) {
        FileDialog d = new FileDialog(shell, SWT.SAVE);
        d.setText(name.replace("…", ""));
        d.setFilterExtensions(new String[] { "*." + extension });
        d.setFileName(panel.getDescriptor().id() + "." + extension);
        d.setOverwrite(true);
        String file = d.open();
        if (file == null) {
          return;
        }
        try {
          export(panel, Path.of(file), extension);
        } catch (IOException e) {
          org.eclipse.jface.dialogs.MessageDialog.openError(shell, d.getText(),
              "The chart cannot be written to " + file + ": " + e.getMessage());
        }
      }
    };
  }

  /** writes {@code panel} to {@code file} as png, svg or csv */
  public static void export(ChartPanel panel, Path file, String format) throws IOException {
    switch (format) {
      case "png" -> png(panel, file);
      case "svg" -> svg(panel, file);
      case "csv" -> csv(panel, file);
      default -> throw new IllegalArgumentException("no export to " + format);
    }
  }

  /** the chart as the screen shows it (it must be visible), as PNG */
  public static void png(ChartPanel panel, Path file) throws IOException {
    Point size = panel.getSize();
    Image image = new Image(panel.getDisplay(), Math.max(1, size.x), Math.max(1, size.y));
    // copied from the window, as a screenshot is: a composite's own GC does not see what its children drew
    Shell shell = panel.getShell();
    Point at = panel.getDisplay().map(panel, shell, 0, 0);
    GC gc = new GC(shell);
    try {
      gc.copyArea(image, at.x, at.y);
      ImageLoader loader = new ImageLoader();
      loader.data = new ImageData[] { image.getImageData() };
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      loader.save(file.toString(), SWT.IMAGE_PNG);
    } finally {
      gc.dispose();
      image.dispose();
    }
  }

  /** the chart's data: a header and one row per plotted point ({@link ChartPanel#exportTable}) */
  public static void csv(ChartPanel panel, Path file) throws IOException {
    List<List<String>> table = panel.exportTable();
    StringBuilder sb = new StringBuilder();
    for (List<String> row : table) {
      List<String> cells = new ArrayList<>();
      for (String c : row) {
        cells.add(c.contains(",") || c.contains("\"") || c.contains("\n") ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
      }
      sb.append(String.join(",", cells)).append('\n');
    }
    write(file, sb.toString());
  }

  private static void write(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** the chart as an SVG drawing of the panel's size */
  public static void svg(ChartPanel panel, Path file) throws IOException {
    write(file, svg(panel));
  }

  /** the SVG text of {@code panel} */
  public static String svg(ChartPanel panel) {
    Point size = panel.getSize();
    Control plotControl = panel.getChart().getPlotArea().getControl();
    Point origin = panel.getDisplay().map(plotControl, panel, 0, 0);
    Point plot = plotControl.getSize();
    Svg svg = new Svg(size.x, size.y);
    svg.rect(0, 0, size.x, size.y, "#ffffff", null);
    svg.text(size.x / 2.0, 16, panel.getChart().getTitle().getText(), "middle", 13, "bold", "#000000");
    svg.open("<defs><clipPath id=\"plot\"><rect x=\"" + origin.x + "\" y=\"" + origin.y + "\" width=\"" + plot.x
        + "\" height=\"" + plot.y + "\"/></clipPath></defs>");
    svg.rect(origin.x, origin.y, plot.x, plot.y, "#ffffff", "#a0a0a0");
    IAxis x = panel.getChart().getAxisSet().getXAxis(0);
    IAxis y = panel.getChart().getAxisSet().getYAxis(0);
    boolean ticks = x.getTick().isVisible() && panel.getNote() == null;
    if (ticks) {
      for (double v : x.getTick().getTickLabelValues()) {
        double px = origin.x + x.getPixelCoordinate(v);
        svg.line(px, origin.y, px, origin.y + plot.y, "#e0e0e0", null);
        svg.line(px, origin.y + plot.y, px, origin.y + plot.y + 4, "#000000", null);
        svg.text(px, origin.y + plot.y + 16, label(x, v, panel.getDescriptor().logX()), "middle", 11, null, "#000000");
      }
      for (double v : y.getTick().getTickLabelValues()) {
        double py = origin.y + y.getPixelCoordinate(v);
        svg.line(origin.x, py, origin.x + plot.x, py, "#e0e0e0", null);
        svg.line(origin.x - 4, py, origin.x, py, "#000000", null);
        svg.text(origin.x - 6, py + 4, label(y, v, panel.getDescriptor().logY()), "end", 11, null, "#000000");
      }
    }
    svg.text(origin.x + plot.x / 2.0, origin.y + plot.y + 32, x.getTitle().getText(), "middle", 12, null, "#000000");
    double ty = origin.y + plot.y / 2.0;
    svg.open("<g transform=\"rotate(-90 14 " + fmt(ty) + ")\">");
    svg.text(14, ty, y.getTitle().getText(), "middle", 12, null, "#000000");
    svg.close("</g>");

    svg.open("<g clip-path=\"url(#plot)\">");
    panel.exportShapes(svg, origin.x, origin.y);
    List<String[]> legend = new ArrayList<>();
    for (ISeries<?> s : panel.getChart().getSeriesSet().getSeries()) {
      if (!s.isVisible() || !(s instanceof ILineSeries<?> ls)) {
        continue;
      }
      double[] xs = s.getXSeries();
      double[] ys = s.getYSeries();
      String colour = hex(ls.getLineColor());
      svg.open("<g class=\"series\" id=\"" + Svg.escape(s.getId()) + "\">");
      if (ls.getLineStyle() != LineStyle.NONE) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i <= xs.length; i++) {
          boolean ok = i < xs.length && Double.isFinite(xs[i]) && Double.isFinite(ys[i]);
          if (ok) {
            points.append(points.isEmpty() ? "" : " ").append(fmt(origin.x + x.getPixelCoordinate(xs[i]))).append(',')
                .append(fmt(origin.y + y.getPixelCoordinate(ys[i])));
          } else if (!points.isEmpty()) {
            svg.polyline(points.toString(), colour, ls.getLineWidth(), ls.getLineStyle() != LineStyle.SOLID);
            points.setLength(0);
          }
        }
      }
      if (ls.getSymbolType() != PlotSymbolType.NONE) {
        Color[] colours = ls.getSymbolColors();
        String symbol = hex(ls.getSymbolColor());
        for (int i = 0; i < xs.length; i++) {
          if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
            String c = colours != null && i < colours.length && colours[i] != null ? hex(colours[i]) : symbol;
            svg.circle(origin.x + x.getPixelCoordinate(xs[i]), origin.y + y.getPixelCoordinate(ys[i]),
                Math.max(1.5, ls.getSymbolSize()), c);
          }
        }
      }
      svg.close("</g>");
      String description = s.getDescription() == null || s.getDescription().isBlank() ? s.getId() : s.getDescription();
      legend.add(new String[] { description, colour, ls.getLineStyle() == LineStyle.SOLID ? null : "6,4" });
    }
    int h = panel.referenceLineY();
    if (h >= 0 && h < plot.y) {
      String c = hex(panel.getDisplay().getSystemColor(ChartPanel.HLINE_COLOR));
      svg.line(origin.x, origin.y + h, origin.x + plot.x, origin.y + h, c, "6,4");
      svg.text(origin.x + plot.x - 4, origin.y + h - 3, "y = " + LogScale.plain(panel.getDescriptor().hline()), "end",
          11, null, c);
    }
    svg.close("</g>");
    if (panel.getNote() != null) {
      svg.text(origin.x + plot.x / 2.0, origin.y + plot.y / 2.0, panel.getNote(), "middle", 12, null, "#606060");
    }
    if (panel.legendVisible()) {
      double lx = origin.x;
      double ly = origin.y + plot.y + 48;
      for (String[] l : legend) {
        svg.line(lx, ly - 4, lx + 18, ly - 4, l[1], l[2]);
        svg.text(lx + 22, ly, l[0], "start", 11, null, "#000000");
        lx += 40 + 6.5 * l[0].length();
        if (lx > size.x - 100) {
          lx = origin.x;
          ly += 16;
        }
      }
    }
    panel.exportScale(svg, origin.x + plot.x + 8, origin.y, plot.y);
    return svg.end();
  }

  /** a tick label as the axis shows it: its format (decades on a log axis), or the number */
  private static String label(IAxis axis, double v, boolean log) {
    Format f = axis.getTick().getFormat();
    if (log) {
      return LogScale.tickLabel(v);
    }
    return f != null ? f.format(v) : LogScale.plain(v);
  }

  static String hex(Color c) {
    return hex(c == null ? new RGB(0, 0, 0) : c.getRGB());
  }

  static String hex(RGB c) {
    return String.format(Locale.ROOT, "#%02x%02x%02x", c.red, c.green, c.blue);
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }

  /** a small SVG writer: the elements a chart needs, with their text escaped */
  public static final class Svg {
    private final StringBuilder sb = new StringBuilder();

    Svg(int width, int height) {
      sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
      sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(width)
          .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
          .append("\" font-family=\"sans-serif\">\n");
    }

    void open(String tag) {
      sb.append(tag).append('\n');
    }

    void close(String tag) {
      sb.append(tag).append('\n');
    }

    public void rect(double x, double y, double w, double h, String fill, String stroke) {
      sb.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" width=\"").append(fmt(w))
          .append("\" height=\"").append(fmt(h)).append("\" fill=\"").append(fill == null ? "none" : fill).append('"');
      if (stroke != null) {
        sb.append(" stroke=\"").append(stroke).append('"');
      }
      sb.append("/>\n");
    }

    void line(double x1, double y1, double x2, double y2, String stroke, String dash) {
      sb.append("<line x1=\"").append(fmt(x1)).append("\" y1=\"").append(fmt(y1)).append("\" x2=\"").append(fmt(x2))
          .append("\" y2=\"").append(fmt(y2)).append("\" stroke=\"").append(stroke).append('"');
      if (dash != null) {
        sb.append(" stroke-dasharray=\"").append(dash).append('"');
      }
      sb.append("/>\n");
    }

    void polyline(String points, String stroke, int width, boolean dashed) {
      sb.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(Math.max(1, width))
          .append('"').append(dashed ? " stroke-dasharray=\"6,4\"" : "").append(" points=\"").append(points)
          .append("\"/>\n");
    }

    void circle(double cx, double cy, double r, String fill) {
      sb.append("<circle cx=\"").append(fmt(cx)).append("\" cy=\"").append(fmt(cy)).append("\" r=\"").append(fmt(r))
          .append("\" fill=\"").append(fill).append("\"/>\n");
    }

    public void text(double x, double y, String text, String anchor, int size, String weight, String fill) {
      if (text == null || text.isEmpty()) {
        return;
      }
      sb.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" text-anchor=\"").append(anchor)
          .append("\" font-size=\"").append(size).append('"').append(weight == null ? "" : " font-weight=\"" + weight + "\"")
          .append(" fill=\"").append(fill).append("\">").append(escape(text)).append("</text>\n");
    }

    static String escape(String s) {
      StringBuilder out = new StringBuilder();
      for (char c : s.toCharArray()) {
        switch (c) {
          case '<' -> out.append("&lt;");
          case '>' -> out.append("&gt;");
          case '&' -> out.append("&amp;");
          case '"' -> out.append("&quot;");
          default -> {
            if (c >= 0x20 || c == '\t') {
              out.append(c);
            } else if (c == '\n') {
              out.append(' ');
            }
          }
        }
      }
      return out.toString();
    }

    String end() {
      sb.append("</svg>\n");
      return sb.toString();
    }
  }
}
