package org.trajlab.ui.wizards;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.trajlab.api.run.RunPreview;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.ui.UiPreferences;

/**
 * A probe's page declared in XML ({@code <page probe="noise">} with {@code <param>} children, schema
 * wizardPages.exsd): whether the run measures with the probe, its schedule, and one field per declared param. It
 * edits the spec's first probe of that type; a field left empty leaves the param out (the probe's default, shown
 * greyed in the field).
 */
public class ProbeParamsPage extends SpecWizardPage {
  private final IConfigurationElement element;
  private final String probe;
  private final String defaultSchedule;
  private final Map<String, Control> fields = new LinkedHashMap<>();
  private final Map<String, String> kinds = new LinkedHashMap<>();
  private Button measure;
  private Text schedule;
  private Label cost;
  private String problem;
  private ProbeCosts costs;

  ProbeParamsPage(IConfigurationElement element) {
    this.element = element;
    this.probe = element.getAttribute("probe");
    this.defaultSchedule = element.getAttribute("schedule") == null ? "[]" : element.getAttribute("schedule");
  }

  /** the probe type this page edits */
  public String probe() {
    return probe;
  }

  @Override
  protected Composite createContents(Composite parent) {
    costs = ProbeCosts.scan(UiPreferences.runsRoot());
    Composite c = new Composite(parent, SWT.NONE);
    c.setLayout(new GridLayout(1, false));
    measure = Forms.check(c, "Measure with the " + probe + " probe", 1);
    Group g = Forms.group(c, "When", 2);
    schedule = Forms.text(g, "Schedule:", "a rule or a list of rules, e.g. {\"every\": 50}; [] = every update", 1);
    cost = Forms.note(g, 2, 1);
    Group params = Forms.group(c, "Params", 4);
    for (IConfigurationElement p : element.getChildren("param")) {
      String name = p.getAttribute("name");
      String type = p.getAttribute("type");
      String tooltip = name + (p.getAttribute("tooltip") == null ? "" : ": " + p.getAttribute("tooltip"));
      String dflt = p.getAttribute("default");
      Control field;
      if ("choice".equals(type) || "boolean".equals(type)) {
        List<String> items = new ArrayList<>();
        items.add(dflt == null ? "(default)" : "(default: " + dflt + ")");
        items.addAll(List.of("boolean".equals(type) ? new String[] { "true", "false" }
            : p.getAttribute("choices").trim().split("\\s+")));
        Combo combo = Forms.combo(params, p.getAttribute("label") + ":", tooltip, 1, items.toArray(String[]::new));
        combo.addListener(SWT.Selection, e -> store());
        field = combo;
      } else {
        Text text = Forms.text(params, p.getAttribute("label") + ":", tooltip, 1);
        if (dflt != null) {
          text.setMessage(dflt);
        }
        text.addModifyListener(e -> store());
        field = text;
      }
      field.setData("param", name);
      fields.put(name, field);
      kinds.put(name, type);
    }
    measure.addListener(SWT.Selection, e -> store());
    schedule.addModifyListener(e -> store());
    return c;
  }

  /** the spec's first probe of this page's type, or null */
  private ProbeSpec find(RunSpec s) {
    return s.probes.stream().filter(p -> probe.equals(p.type)).findFirst().orElse(null);
  }

  private void store() {
    if (loading) {
      return;
    }
    problem = null;
    RunSpec s = spec();
    ProbeSpec p = find(s);
    boolean on = measure.getSelection();
    enable(on);
    if (!on) {
      s.probes.removeIf(x -> probe.equals(x.type));
      edited();
      return;
    }
    if (p == null) {
      p = new ProbeSpec(probe);
      s.probes.add(p);
    }
    try {
      String sched = schedule.getText().isBlank() ? "[]" : schedule.getText();
      p.schedule = Specs.parsePart("{\"type\": \"" + probe + "\", \"schedule\": " + sched + "}", ProbeSpec.class,
          "the schedule").schedule;
    } catch (SpecException e) {
      problem = e.getMessage();
    }
    Map<String, Object> params = new LinkedHashMap<>(p.params);
    for (var e : fields.entrySet()) {
      String name = e.getKey();
      String value = e.getValue() instanceof Combo combo ? (combo.getSelectionIndex() <= 0 ? "" : combo.getText())
          : ((Text) e.getValue()).getText().trim();
      if (value.isEmpty()) {
        params.remove(name);
        continue;
      }
      switch (kinds.get(name)) {
        case "integer" -> {
          Long v = Forms.parseWhole(value);
          if (v == null) {
            problem = problem != null ? problem : "The " + probe + " probe's " + name + " must be a whole number, not '" + value + "'.";
          } else {
            params.put(name, v);
          }
        }
        case "number" -> {
          Double v = Forms.parseNumber(value);
          if (v == null) {
            problem = problem != null ? problem : "The " + probe + " probe's " + name + " must be a number, not '" + value + "'.";
          } else {
            params.put(name, v);
          }
        }
        case "boolean" -> params.put(name, Boolean.parseBoolean(value));
        default -> params.put(name, value);
      }
    }
    p.params = params;
    edited();
  }

  private void enable(boolean on) {
    schedule.setEnabled(on);
    fields.values().forEach(f -> f.setEnabled(on));
  }

  @Override
  protected void load(RunSpec s) {
    ProbeSpec p = find(s);
    measure.setSelection(p != null);
    enable(p != null);
    Forms.setText(schedule, p == null ? defaultSchedule : Forms.compact(Specs.toJson(p.schedule)));
    for (var e : fields.entrySet()) {
      Object v = p == null ? null : p.params.get(e.getKey());
      if (e.getValue() instanceof Combo combo) {
        int i = v == null ? 0 : combo.indexOf(String.valueOf(v));
        combo.select(Math.max(i, 0));
      } else {
        Forms.setText((Text) e.getValue(), v);
      }
    }
    previewed(wizard().preview(), wizard().previewProblem());
  }

  @Override
  protected void previewed(RunPreview preview, String why) {
    ProbeSpec p = find(spec());
    cost.setText(p == null || preview == null ? "" : "Estimated cost: " + costs.estimate(p, preview));
  }

  @Override
  protected String problem() {
    return problem;
  }

  /** the field of param {@code name} (a Text, or a Combo for choices and booleans) */
  public Control field(String name) {
    return fields.get(name);
  }

  public Button measureButton() {
    return measure;
  }

  public Text scheduleField() {
    return schedule;
  }

  public String costText() {
    return cost.getText();
  }

  /** a schedule rule as the page writes it */
  static String rule(ScheduleSpec s) {
    return Specs.toJson(s);
  }
}
