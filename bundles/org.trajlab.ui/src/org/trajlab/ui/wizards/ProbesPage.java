package org.trajlab.ui.wizards;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.trajlab.api.probe.ProbeRegistry;
import org.trajlab.api.run.RunPreview;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.ui.UiPreferences;

/**
 * The probes: every probe of the spec with its schedule and an estimated cost (its measurements in this run's plan
 * times the seconds per measurement an earlier run under the runs folder measured, else unknown); add any registered
 * probe, remove one, and edit the selected probe's schedule and params as JSON.
 */
public class ProbesPage extends SpecWizardPage {
  private Table table;
  private Combo add;
  private Text schedule;
  private Text params;
  private Label costNote;
  private String problem;
  private ProbeCosts costs;
  private final List<String> types = new ArrayList<>();

  @Override
  protected Composite createContents(Composite parent) {
    costs = ProbeCosts.scan(UiPreferences.runsRoot());
    Composite c = new Composite(parent, SWT.NONE);
    c.setLayout(new GridLayout(4, false));
    table = new Table(c, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION);
    table.setHeaderVisible(true);
    table.setLinesVisible(true);
    GridData td = new GridData(SWT.FILL, SWT.FILL, true, true, 4, 1);
    td.heightHint = 120;
    table.setLayoutData(td);
    String[] titles = { "Probe", "Schedule", "Estimated cost" };
    int[] widths = { 90, 290, 500 };
    for (int i = 0; i < titles.length; i++) {
      TableColumn col = new TableColumn(table, SWT.NONE);
      col.setText(titles[i]);
      col.setWidth(widths[i]);
    }
    ProbeRegistry.fromExtensions().entries().forEach((id, e) -> types.add(id));
    add = Forms.combo(c, "Probe:", "a registered probe (org.trajlab.api.probes)", 1, types.toArray(String[]::new));
    add.select(0);
    Button addButton = new Button(c, SWT.PUSH);
    addButton.setText("Add");
    Button remove = new Button(c, SWT.PUSH);
    remove.setText("Remove");
    Group edit = Forms.group(c, "Selected probe", 2);
    ((GridData) edit.getLayoutData()).horizontalSpan = 4;
    schedule = Forms.text(edit, "Schedule:", "a rule or a list of rules, e.g. {\"every\": 10} or"
        + " [{\"from\": 0, \"to\": 99}, {\"from\": 100, \"every\": 10}]; [] = every update", 1);
    params = Forms.text(edit, "Params:", "the probe's own params as a JSON object (README: Run specs)", 1);
    costNote = Forms.note(c, 4, 2);
    costNote.setText("Costs come from the seconds earlier runs under the runs folder spent per measurement"
        + " (summary.json and metrics.csv); the same probe on another model or data costs differently.");

    addButton.addListener(SWT.Selection, e -> {
      spec().probes.add(new ProbeSpec(add.getText()));
      reload();
      table.select(spec().probes.size() - 1);
      showSelected();
      edited();
    });
    remove.addListener(SWT.Selection, e -> {
      int i = table.getSelectionIndex();
      if (i >= 0) {
        spec().probes.remove(i);
        reload();
        edited();
      }
    });
    table.addListener(SWT.Selection, e -> showSelected());
    schedule.addModifyListener(e -> storeSelected());
    params.addModifyListener(e -> storeSelected());
    return c;
  }

  private void showSelected() {
    int i = table.getSelectionIndex();
    loading = true;
    try {
      boolean any = i >= 0 && i < spec().probes.size();
      schedule.setEnabled(any);
      params.setEnabled(any);
      ProbeSpec p = any ? spec().probes.get(i) : null;
      Forms.setText(schedule, p == null ? "" : compact(Specs.toJson(p.schedule)));
      Forms.setText(params, p == null ? "" : compact(Specs.toJson(p.params)));
    } finally {
      loading = false;
    }
  }

  private static String compact(String json) {
    return Forms.compact(json);
  }

  /** the selected probe from the editor's JSON */
  private void storeSelected() {
    if (loading) {
      return;
    }
    int i = table.getSelectionIndex();
    if (i < 0 || i >= spec().probes.size()) {
      return;
    }
    String type = spec().probes.get(i).type;
    String sched = schedule.getText().isBlank() ? "[]" : schedule.getText();
    String par = params.getText().isBlank() ? "{}" : params.getText();
    try {
      ProbeSpec p = Specs.parsePart("{\"type\": \"" + type + "\", \"schedule\": " + sched + ", \"params\": " + par + "}",
          ProbeSpec.class, "probes[" + i + "]");
      if (p.params == null) {
        p.params = new java.util.LinkedHashMap<>();
      }
      if (p.schedule == null) {
        p.schedule = new ArrayList<>();
      }
      spec().probes.set(i, p);
      problem = null;
      TableItem item = table.getItem(i);
      item.setText(1, Forms.schedule(p.schedule));
    } catch (SpecException e) {
      problem = e.getMessage();
    }
    edited();
  }

  @Override
  protected void load(RunSpec s) {
    int selected = table.getSelectionIndex();
    table.removeAll();
    for (ProbeSpec p : s.probes) {
      TableItem item = new TableItem(table, SWT.NONE);
      item.setText(new String[] { p.type, Forms.schedule(p.schedule), "" });
    }
    if (selected >= 0 && selected < s.probes.size()) {
      table.select(selected);
    } else if (!s.probes.isEmpty()) {
      table.select(0);
    }
    showSelected();
    previewed(wizard().preview(), wizard().previewProblem());
  }

  @Override
  protected void previewed(RunPreview p, String why) {
    List<ProbeSpec> probes = spec().probes;
    for (int i = 0; i < table.getItemCount() && i < probes.size(); i++) {
      table.getItem(i).setText(2, p == null ? "" : costs.estimate(probes.get(i), p));
    }
  }

  /** the estimated cost shown for probe i */
  public String costText(int i) {
    return table.getItem(i).getText(2);
  }

  @Override
  protected String problem() {
    return problem;
  }

  public Table table() {
    return table;
  }
}
