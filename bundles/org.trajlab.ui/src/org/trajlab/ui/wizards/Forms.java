package org.trajlab.ui.wizards;

import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/** Small helpers for the pages' forms: labelled rows in a grid, and numbers typed as text. */
public final class Forms {
  private Forms() {}

  /** a group of labelled rows: a label column and a field column that takes the rest of the width */
  public static Group group(Composite parent, String title, int columns) {
    Group g = new Group(parent, SWT.NONE);
    g.setText(title);
    g.setLayout(new GridLayout(columns, false));
    g.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    return g;
  }

  public static Label label(Composite parent, String text) {
    Label l = new Label(parent, SWT.NONE);
    l.setText(text);
    l.setLayoutData(new GridData(SWT.BEGINNING, SWT.CENTER, false, false));
    return l;
  }

  /** a label and a text field spanning {@code span} columns */
  public static Text text(Composite parent, String label, String tooltip, int span) {
    Label l = label(parent, label);
    Text t = new Text(parent, SWT.BORDER);
    GridData d = new GridData(SWT.FILL, SWT.CENTER, true, false, span, 1);
    d.widthHint = 120;
    t.setLayoutData(d);
    if (tooltip != null) {
      t.setToolTipText(tooltip);
      l.setToolTipText(tooltip);
    }
    return t;
  }

  /** a label and a read-only combo of {@code items} */
  public static Combo combo(Composite parent, String label, String tooltip, int span, String... items) {
    Label l = label(parent, label);
    Combo c = new Combo(parent, SWT.DROP_DOWN | SWT.READ_ONLY);
    c.setItems(items);
    c.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, span, 1));
    if (tooltip != null) {
      c.setToolTipText(tooltip);
      l.setToolTipText(tooltip);
    }
    return c;
  }

  public static Button check(Composite parent, String label, int span) {
    Button b = new Button(parent, SWT.CHECK);
    b.setText(label);
    b.setLayoutData(new GridData(SWT.BEGINNING, SWT.CENTER, false, false, span, 1));
    return b;
  }

  /** a wrapping label over {@code span} columns, at least {@code lines} lines high */
  public static Label note(Composite parent, int span, int lines) {
    Label l = new Label(parent, SWT.WRAP);
    GridData d = new GridData(SWT.FILL, SWT.TOP, true, false, span, 1);
    d.widthHint = 400;
    d.heightHint = lines * (l.getFont().getFontData()[0].getHeight() * 2);
    l.setLayoutData(d);
    return l;
  }

  public static void select(Combo c, String value) {
    int i = value == null ? -1 : c.indexOf(value);
    c.select(Math.max(i, 0));
  }

  public static void setText(Text t, Object value) {
    String s = value == null ? "" : value instanceof Double d ? number(d) : String.valueOf(value);
    if (!t.getText().equals(s)) {
      t.setText(s);
    }
  }

  /** a number without trailing zeros: 0.1, 1e-4, 300 */
  public static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.valueOf((long) v);
    }
    String s = String.format(Locale.ROOT, "%.6g", v); // 0.05 * 0.1 = 0.005000000000000001 shows as 0.005
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return e < 0 ? mantissa : mantissa + s.substring(e);
  }

  /** JSON on one line as people write it: [{"every": 10}], {"L": 5, "M": 32} */
  public static String compact(String json) {
    return json.replaceAll("\\s*\\n\\s*", " ").replace("[ ", "[").replace(" ]", "]").replace("{ ", "{")
        .replace(" }", "}").replace("\" : ", "\": ").trim();
  }

  /** a probe's schedule in words: "every update", "updates 0–99; every 10th from 100", "updates 5, 17", "epochs 1, 10" */
  public static String schedule(java.util.List<org.trajlab.api.spec.ScheduleSpec> rules) {
    if (rules == null || rules.isEmpty()) {
      return "every update";
    }
    java.util.List<String> parts = new java.util.ArrayList<>();
    for (org.trajlab.api.spec.ScheduleSpec r : rules) {
      java.util.List<String> p = new java.util.ArrayList<>();
      if (r.every != null || r.from != null || r.to != null) {
        String range = r.to != null ? "updates " + (r.from == null ? 0 : r.from) + "–" + r.to
            : r.from != null && r.from > 0 ? "from update " + r.from : "";
        String every = r.every == null || r.every == 1 ? (range.isEmpty() ? "every update" : "")
            : "every " + r.every + "th";
        p.add((every + " " + range).trim());
      }
      if (r.steps != null) {
        p.add("updates " + String.join(", ", r.steps.stream().map(String::valueOf).toList()));
      }
      if (r.epochs != null) {
        p.add("epochs " + String.join(", ", r.epochs.stream().map(String::valueOf).toList()));
      }
      parts.add(p.isEmpty() ? "every update" : String.join(", ", p));
    }
    return String.join("; ", parts);
  }

  /** a number typed into a field, or null when it is not one */
  public static Double parseNumber(String s) {
    try {
      double v = Double.parseDouble(s.trim());
      return Double.isFinite(v) ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** a whole number typed into a field, or null when it is not one */
  public static Long parseWhole(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
