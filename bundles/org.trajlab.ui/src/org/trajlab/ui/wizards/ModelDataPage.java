package org.trajlab.ui.wizards;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.trajlab.api.run.RunPreview;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.api.spec.RunSpec;

/**
 * Model and data: the run's name, seed and precision, the model type and its fields, the data set, its folder and
 * subsets. Below, what the engine found as you type: the files' folder, the example shape, the classes and the sizes
 * of the sets the run uses, or its one sentence about what is wrong.
 */
public class ModelDataPage extends SpecWizardPage {
  public static final String[] MODEL_TYPES = { "softmax", "mlp", "simplecnn", "vgg11", "resnet", "lstm", "quadratic" };
  public static final String[] DATASETS = { "fashion-mnist", "mnist", "cifar10", "cifar100", "text", "quadratic" };
  public static final String[] ACTIVATIONS = { "relu", "tanh", "sigmoid", "identity" };

  private final Map<String, String> problems = new LinkedHashMap<>();
  private Text name;
  private Text seed;
  private Combo precision;
  private Combo modelType;
  private Text hidden;
  private Combo activation;
  private Button batchNorm;
  private Combo dataset;
  private Text dataDir;
  private Text trainSize;
  private Text testSize;
  private Text trainEvalSize;
  private Label found;

  @Override
  protected Composite createContents(Composite parent) {
    Composite c = new Composite(parent, SWT.NONE);
    c.setLayout(new GridLayout(1, false));
    Group run = Forms.group(c, "Run", 6);
    name = Forms.text(run, "Name:", "a word; the run folder is <time>-<name>", 1);
    seed = Forms.text(run, "Seed:", "seeds initialisation, data order and the train-eval subset", 1);
    precision = Forms.combo(run, "Precision:", null, 1, "float", "double");

    Group model = Forms.group(c, "Model", 4);
    modelType = Forms.combo(model, "Type:", "model.type", 1, MODEL_TYPES);
    hidden = Forms.text(model, "Hidden widths:", "model.hidden, e.g. 300, 100 (mlp; lstm: the units)", 1);
    activation = Forms.combo(model, "Activation:", "model.activation (mlp, simplecnn, vgg11)", 1, ACTIVATIONS);
    batchNorm = Forms.check(model, "Batch normalisation", 2);

    Group data = Forms.group(c, "Data", 4);
    dataset = Forms.combo(data, "Data set:", "data.dataset", 3, DATASETS);
    dataDir = Forms.text(data, "Folder:", "data.dir: empty = the preference, else the Debian package's folder", 2);
    Button browse = new Button(data, SWT.PUSH);
    browse.setText("Browse…");
    browse.addListener(SWT.Selection, e -> {
      DirectoryDialog d = new DirectoryDialog(getShell());
      d.setFilterPath(dataDir.getText());
      String dir = d.open();
      if (dir != null) {
        dataDir.setText(dir);
      }
    });
    trainSize = Forms.text(data, "Training examples:", "data.trainSize: empty = all", 1);
    testSize = Forms.text(data, "Test examples:", "data.testSize: empty = all", 1);
    trainEvalSize = Forms.text(data, "Train-eval examples:", "data.trainEvalSize: the fixed subset probes and eval use", 1);
    found = Forms.note(data, 4, 3);
    found.setText("Checking…");

    name.addModifyListener(e -> edit(() -> spec().name = name.getText().trim()));
    seed.addModifyListener(e -> edit(() -> whole("seed", seed.getText(), false, v -> spec().seed = v)));
    precision.addListener(SWT.Selection, e -> edit(() -> spec().precision = precision.getText()));
    modelType.addListener(SWT.Selection, e -> edit(this::storeModel));
    hidden.addModifyListener(e -> edit(this::storeModel));
    activation.addListener(SWT.Selection, e -> edit(this::storeModel));
    batchNorm.addListener(SWT.Selection, e -> edit(this::storeModel));
    dataset.addListener(SWT.Selection, e -> edit(() -> spec().data.dataset = dataset.getText()));
    dataDir.addModifyListener(e -> edit(() -> spec().data.dir = dataDir.getText().isBlank() ? null : dataDir.getText().trim()));
    trainSize.addModifyListener(e -> edit(() -> optionalInt("training examples", trainSize.getText(), v -> spec().data.trainSize = v)));
    testSize.addModifyListener(e -> edit(() -> optionalInt("test examples", testSize.getText(), v -> spec().data.testSize = v)));
    trainEvalSize.addModifyListener(e -> edit(() -> whole("train-eval examples", trainEvalSize.getText(), true,
        v -> spec().data.trainEvalSize = (int) (long) v)));
    return c;
  }

  private void edit(Runnable store) {
    if (loading) {
      return;
    }
    store.run();
    edited();
  }

  private void whole(String what, String text, boolean positive, java.util.function.LongConsumer set) {
    Long v = Forms.parseWhole(text);
    if (v == null || (positive && v <= 0)) {
      problems.put(what, "The " + what + " must be a " + (positive ? "positive " : "") + "whole number, not '" + text + "'.");
      return;
    }
    problems.remove(what);
    set.accept(v);
  }

  private void optionalInt(String what, String text, java.util.function.Consumer<Integer> set) {
    if (text.isBlank()) {
      problems.remove(what);
      set.accept(null);
      return;
    }
    whole(what, text, true, v -> set.accept((int) Math.min(v, Integer.MAX_VALUE)));
  }

  /** a new model spec from the controls: only the fields the type uses */
  private void storeModel() {
    ModelSpec m = new ModelSpec();
    m.type = modelType.getText();
    m.init = spec().model.init;
    boolean dense = m.type.equals("mlp") || m.type.equals("lstm");
    hidden.setEnabled(dense);
    boolean activated = m.type.equals("mlp") || m.type.equals("simplecnn") || m.type.equals("vgg11");
    activation.setEnabled(activated);
    boolean bn = m.type.equals("mlp") || m.type.equals("simplecnn") || m.type.equals("vgg11") || m.type.equals("resnet");
    batchNorm.setEnabled(bn);
    problems.remove("hidden");
    if (dense && !hidden.getText().isBlank()) {
      List<Integer> widths = new ArrayList<>();
      for (String part : hidden.getText().split("[,\\s]+")) {
        Long w = Forms.parseWhole(part);
        if (w == null || w <= 0) {
          problems.put("hidden", "The hidden widths must be positive whole numbers separated by commas, not '"
              + hidden.getText() + "'.");
          return;
        }
        widths.add((int) (long) w);
      }
      m.hidden = widths;
    }
    if (activated) {
      m.activation = activation.getText();
    }
    if (bn) {
      m.batchNorm = batchNorm.getSelection();
    }
    m.depth = m.type.equals("resnet") ? spec().model.depth : null;
    spec().model = m;
  }

  @Override
  protected void load(RunSpec s) {
    Forms.setText(name, s.name);
    Forms.setText(seed, s.seed);
    Forms.select(precision, s.precision);
    Forms.select(modelType, s.model.type);
    Forms.setText(hidden, s.model.hidden == null ? "" : String.join(", ", s.model.hidden.stream().map(String::valueOf).toList()));
    Forms.select(activation, s.model.activation);
    batchNorm.setSelection(Boolean.TRUE.equals(s.model.batchNorm));
    Forms.select(dataset, s.data.dataset);
    Forms.setText(dataDir, s.data.dir);
    Forms.setText(trainSize, s.data.trainSize);
    Forms.setText(testSize, s.data.testSize);
    Forms.setText(trainEvalSize, s.data.trainEvalSize);
    boolean restart = s.start.checkpoint != null; // a restart keeps the model and the data of its checkpoint
    for (var control : new org.eclipse.swt.widgets.Control[] { modelType, hidden, activation, batchNorm, dataset }) {
      control.setEnabled(!restart);
    }
  }

  @Override
  protected void previewed(RunPreview p, String problem) {
    if (p == null) {
      found.setText(problem == null ? "" : problem);
      found.setForeground(found.getDisplay().getSystemColor(SWT.COLOR_DARK_RED));
      return;
    }
    found.setForeground(null);
    String shape = p.channels() + "×" + p.rows() + "×" + p.cols();
    found.setText(String.format(Locale.ROOT, "%s%s: %,d training and %,d test examples in the files, each %s, %s."
        + " The run trains on %,d examples%s and tests on %,d.", p.dataTitle(),
        p.dataDir() == null ? " (generated)" : " in " + p.dataDir(), p.trainFileSize(), p.testFileSize(), shape,
        p.classes() == 0 ? "no classes" : p.classes() + " classes", p.trainSize(),
        p.heldOutSize() > 0 ? String.format(Locale.ROOT, " (%,d held out)", p.heldOutSize()) : "", p.testSize())
        + classCountsText(p.trainClassCounts()));
    found.getParent().layout(true);
  }

  /**
   * " Per class: 203, 198, … (classes 0–9)." for up to 20 classes; " Per class: 412 to 530 (100 classes)." beyond;
   * a class without examples is named; "" when the data has no classes
   */
  public static String classCountsText(int[] counts) {
    if (counts == null || counts.length == 0) {
      return "";
    }
    int min = java.util.Arrays.stream(counts).min().getAsInt();
    int max = java.util.Arrays.stream(counts).max().getAsInt();
    String empty = "";
    if (min == 0) {
      java.util.List<String> none = new java.util.ArrayList<>();
      for (int k = 0; k < counts.length; k++) {
        if (counts[k] == 0) none.add(Integer.toString(k));
      }
      empty = " No training example of class " + String.join(", ", none) + ".";
    }
    if (counts.length <= 20) {
      return " Per class: " + java.util.Arrays.stream(counts).mapToObj(c -> String.format(Locale.ROOT, "%,d", c))
          .collect(java.util.stream.Collectors.joining(", ")) + " (classes 0–" + (counts.length - 1) + ")." + empty;
    }
    return String.format(Locale.ROOT, " Per class: %,d to %,d (%d classes).", min, max, counts.length) + empty;
  }

  /** what the page found about the data, as shown */
  public String foundText() {
    return found.getText();
  }

  @Override
  protected String problem() {
    if (!problems.isEmpty()) {
      return problems.values().iterator().next();
    }
    return null;
  }

  public Text nameField() {
    return name;
  }

  public Text trainSizeField() {
    return trainSize;
  }

  public Text testSizeField() {
    return testSize;
  }

  public Text trainEvalSizeField() {
    return trainEvalSize;
  }

  public Text dataDirField() {
    return dataDir;
  }

  public Text hiddenField() {
    return hidden;
  }
}
