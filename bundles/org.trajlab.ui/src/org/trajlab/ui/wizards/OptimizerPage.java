package org.trajlab.ui.wizards;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.trajlab.api.run.RunPreview;
import org.trajlab.api.spec.BatchScheduleSpec;
import org.trajlab.api.spec.RateScheduleSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;

/**
 * Optimiser and schedule: the update rule, η, momentum and weight decay, the batch size, the run's length and
 * evaluation, and the learning-rate schedule (its type, unit and other fields as JSON; or a batch-size schedule that
 * mirrors it). Below, η, S and η/S of every update as the engine's step plan computes them, redrawn as you type.
 */
public class OptimizerPage extends SpecWizardPage {
  public static final String[] OPTIMIZERS = { "sgd", "momentum", "gd", "gd-noise" };
  public static final String[] SCHEDULES = { "constant", "step", "cyclic", "two-level", "trapezoid", "plateau", "ema",
      "swa", "twopoint" };
  /** the fields a schedule type starts with when it is chosen */
  static final Map<String, String> TEMPLATES = Map.of(
      "constant", "{}",
      "step", "{\"milestones\": [0.5], \"factor\": 0.1}",
      "cyclic", "{\"min\": 0.01, \"cycle\": 0.5}",
      "two-level", "{\"min\": 0.01, \"cycle\": 0.5}",
      "trapezoid", "{\"warmup\": 0.1, \"flat\": 0.5, \"startValue\": 0, \"endValue\": 0}",
      "plateau", "{\"factor\": 0.1, \"patience\": 3}",
      "ema", "{\"beta\": 0.99}",
      "swa", "{\"snapshots\": 5, \"every\": 10}",
      "twopoint", "{\"k\": 10}");

  private final Map<String, String> problems = new LinkedHashMap<>();
  private Combo type;
  private Text lr;
  private Text momentum;
  private Text weightDecay;
  private Text batchSize;
  private Text epochs;
  private Text steps;
  private Text evalEvery;
  private Combo schedule;
  private Combo unit;
  private Text fields;
  private Button mirror;
  private Label summary;
  private SchedulePlot plot;

  @Override
  protected Composite createContents(Composite parent) {
    Composite c = new Composite(parent, SWT.NONE);
    c.setLayout(new GridLayout(1, false));
    Group opt = Forms.group(c, "Optimiser", 8);
    type = Forms.combo(opt, "Type:", "optimizer.type", 1, OPTIMIZERS);
    lr = Forms.text(opt, "η:", "optimizer.lr, the learning rate", 1);
    momentum = Forms.text(opt, "Momentum μ:", "optimizer.momentum (type momentum)", 1);
    weightDecay = Forms.text(opt, "Weight decay:", "optimizer.weightDecay", 1);
    batchSize = Forms.text(opt, "Batch size S:", "training.batchSize", 1);
    epochs = Forms.text(opt, "Epochs:", "training.epochs", 1);
    steps = Forms.text(opt, "Updates:", "training.steps: empty = the epochs decide; set, it wins", 1);
    evalEvery = Forms.text(opt, "Evaluate every:", "eval.every (updates)", 1);

    Group sch = Forms.group(c, "Learning-rate schedule", 6);
    schedule = Forms.combo(sch, "Type:", "optimizer.lrSchedule.type (constant = none)", 1, SCHEDULES);
    unit = Forms.combo(sch, "Counted in:", "optimizer.lrSchedule.unit", 1, "epoch", "step");
    mirror = Forms.check(sch, "S follows it instead (η held)", 2);
    mirror.setToolTipText("training.batchSchedule {\"type\": \"mirror\", \"of\": the schedule}: S(x) = round(S₀·η/η(x))");
    fields = Forms.text(sch, "Fields:", "the schedule's other fields as JSON, e.g. {\"milestones\": [2, 3], \"factor\": 0.1};"
        + " max is η", 5);
    summary = Forms.note(c, 1, 2);
    plot = new SchedulePlot(c);
    plot.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));

    type.addListener(SWT.Selection, e -> edit(() -> spec().optimizer.type = type.getText()));
    lr.addModifyListener(e -> edit(() -> number("η", lr.getText(), v -> spec().optimizer.lr = v)));
    momentum.addModifyListener(e -> edit(() -> number("momentum", momentum.getText(), v -> spec().optimizer.momentum = v)));
    weightDecay.addModifyListener(e -> edit(() -> number("weight decay", weightDecay.getText(), v -> spec().optimizer.weightDecay = v)));
    batchSize.addModifyListener(e -> edit(() -> whole("batch size", batchSize.getText(), v -> spec().training.batchSize = (int) v)));
    epochs.addModifyListener(e -> edit(() -> whole("epochs", epochs.getText(), v -> spec().training.epochs = (int) v)));
    steps.addModifyListener(e -> edit(() -> {
      if (steps.getText().isBlank()) {
        problems.remove("updates");
        spec().training.steps = null;
      } else {
        whole("updates", steps.getText(), v -> spec().training.steps = v);
      }
    }));
    evalEvery.addModifyListener(e -> edit(() -> whole("evaluation interval", evalEvery.getText(), v -> spec().eval.every = (int) v)));
    schedule.addListener(SWT.Selection, e -> {
      fields.setText(TEMPLATES.getOrDefault(schedule.getText(), "{}"));
      if (java.util.Set.of("ema", "swa", "twopoint").contains(schedule.getText())) {
        Forms.select(unit, "step");
      }
      edit(this::storeSchedule);
    });
    unit.addListener(SWT.Selection, e -> edit(this::storeSchedule));
    mirror.addListener(SWT.Selection, e -> edit(this::storeSchedule));
    fields.addModifyListener(e -> edit(this::storeSchedule));
    return c;
  }

  private void edit(Runnable store) {
    if (loading) {
      return;
    }
    store.run();
    edited();
  }

  private void number(String what, String text, java.util.function.DoubleConsumer set) {
    Double v = Forms.parseNumber(text);
    if (v == null) {
      problems.put(what, "The " + what + " must be a number, not '" + text + "'.");
      return;
    }
    problems.remove(what);
    set.accept(v);
  }

  private void whole(String what, String text, java.util.function.LongConsumer set) {
    Long v = Forms.parseWhole(text);
    if (v == null || v < 0 || v > Integer.MAX_VALUE) {
      problems.put(what, "The " + what + " must be a whole number, not '" + text + "'.");
      return;
    }
    problems.remove(what);
    set.accept(v);
  }

  /** the schedule from its type, unit and fields: on η, or (mirror) on S */
  private void storeSchedule() {
    problems.remove("schedule");
    RunSpec s = spec();
    if (schedule.getText().equals("constant")) {
      s.optimizer.lrSchedule = null;
      s.training.batchSchedule = null;
      return;
    }
    String inner = fields.getText().trim();
    if (!inner.startsWith("{") || !inner.endsWith("}")) {
      problems.put("schedule", "The schedule's fields must be a JSON object such as {\"factor\": 0.1}.");
      return;
    }
    inner = inner.substring(1, inner.length() - 1).trim();
    String json = "{\"type\": \"" + schedule.getText() + "\", \"unit\": \"" + unit.getText() + "\""
        + (inner.isEmpty() ? "" : ", " + inner) + "}";
    RateScheduleSpec rs;
    try {
      rs = Specs.parsePart(json, RateScheduleSpec.class, "optimizer.lrSchedule");
    } catch (SpecException e) {
      problems.put("schedule", e.getMessage());
      return;
    }
    if (mirror.getSelection()) {
      s.optimizer.lrSchedule = null;
      s.training.batchSchedule = new BatchScheduleSpec();
      s.training.batchSchedule.type = "mirror";
      s.training.batchSchedule.of = rs;
    } else {
      s.optimizer.lrSchedule = rs;
      s.training.batchSchedule = null;
    }
  }

  @Override
  protected void load(RunSpec s) {
    Forms.select(type, s.optimizer.type);
    Forms.setText(lr, s.optimizer.lr);
    Forms.setText(momentum, s.optimizer.momentum);
    Forms.setText(weightDecay, s.optimizer.weightDecay);
    Forms.setText(batchSize, s.training.batchSize);
    Forms.setText(epochs, s.training.epochs);
    Forms.setText(steps, s.training.steps);
    Forms.setText(evalEvery, s.eval.every);
    RateScheduleSpec rs = s.optimizer.lrSchedule;
    boolean mirrored = s.training.batchSchedule != null && "mirror".equals(s.training.batchSchedule.type);
    if (mirrored) {
      rs = s.training.batchSchedule.of;
    }
    mirror.setSelection(mirrored);
    if (rs == null) {
      Forms.select(schedule, "constant");
      Forms.select(unit, "epoch");
      Forms.setText(fields, "{}");
    } else {
      Forms.select(schedule, rs.type);
      Forms.select(unit, rs.unit);
      RateScheduleSpec rest = Specs.copyOf(rs, RateScheduleSpec.class);
      rest.type = null;
      rest.unit = null;
      Forms.setText(fields, Forms.compact(Specs.toJson(rest)));
    }
  }

  @Override
  protected void previewed(RunPreview p, String problem) {
    if (p == null) {
      summary.setText(problem == null ? "" : problem);
      plot.show(new double[0], new int[0], 0);
      return;
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int sLo = Integer.MAX_VALUE;
    int sHi = 0;
    for (int t = (int) p.startStep(); t < p.totalSteps(); t++) {
      lo = Math.min(lo, p.lr()[t]);
      hi = Math.max(hi, p.lr()[t]);
      sLo = Math.min(sLo, p.batchSize()[t]);
      sHi = Math.max(sHi, p.batchSize()[t]);
    }
    int n = p.totalSteps() - (int) p.startStep();
    int firstEpoch = n <= 0 ? 0 : p.epoch()[(int) p.startStep()];
    int lastEpoch = n <= 0 ? 0 : p.epoch()[p.totalSteps() - 1];
    summary.setText(n <= 0 ? "No updates: a probe-only run." : String.format(Locale.ROOT,
        "%,d updates%s in %s; η %s; S %s.", n, p.startStep() > 0 ? " from update " + p.startStep() : "",
        firstEpoch == lastEpoch ? "epoch " + firstEpoch : "epochs " + firstEpoch + "–" + lastEpoch, lo == hi ? Forms.number(lo) : "from " + Forms.number(lo) + " to "
            + Forms.number(hi), sLo == sHi ? String.valueOf(sLo) : sLo + " to " + sHi));
    plot.show(p.lr(), p.batchSize(), p.startStep());
  }

  @Override
  protected String problem() {
    if (!problems.isEmpty()) {
      return problems.values().iterator().next();
    }
    return null;
  }

  public SchedulePlot plot() {
    return plot;
  }

  public String summaryText() {
    return summary.getText();
  }

  public Text lrField() {
    return lr;
  }

  public Text stepsField() {
    return steps;
  }

  public Text batchSizeField() {
    return batchSize;
  }

  public Text evalEveryField() {
    return evalEvery;
  }

  public Combo scheduleCombo() {
    return schedule;
  }

  public Combo unitCombo() {
    return unit;
  }

  public Text fieldsField() {
    return fields;
  }
}
