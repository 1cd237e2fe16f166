package org.trajlab.ui.wizards;

import java.nio.file.Path;
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
import org.eclipse.swt.widgets.Text;
import org.trajlab.api.spec.RunSpec;

/**
 * The Restart wizard's first page: the checkpoint of the source run, the update to train to, and the variant
 * (continue, subspace SGD, Nudged SGD, the equivalent schedule, a side trip, a branch with another batch order),
 * which pre-fills the spec the next pages edit. Choosing again starts again from the source run's spec.
 */
public class RestartPage extends SpecWizardPage {
  private Combo checkpoint;
  private Text steps;
  private final List<Button> variants = new ArrayList<>();
  private Combo average;
  private Label explanation;
  private String problem;
  private RestartVariant chosen = RestartVariant.CONTINUE;

  private RestartWizard restart() {
    return (RestartWizard) wizard();
  }

  @Override
  protected Composite createContents(Composite parent) {
    Composite c = new Composite(parent, SWT.NONE);
    c.setLayout(new GridLayout(1, false));
    Label from = new Label(c, SWT.WRAP);
    from.setText("From the run " + restart().source().name() + " (" + restart().source().dir() + ")");
    from.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    Group where = Forms.group(c, "Start", 4);
    List<String> names = restart().checkpointFolders().stream().map(p -> p.getFileName() + "  (update "
        + RestartWizard.step(p) + ")").toList();
    checkpoint = Forms.combo(where, "Checkpoint:", "start.checkpoint", 1, names.toArray(String[]::new));
    checkpoint.select(names.size() - 1);
    steps = Forms.text(where, "Train to update:", "training.steps: counted from 0, the checkpoint's updates included", 1);
    Group variant = Forms.group(c, "Variant", 2);
    for (RestartVariant v : RestartVariant.values()) {
      Button b = new Button(variant, SWT.RADIO);
      b.setText(v.label);
      b.setData(v);
      b.setLayoutData(new GridData(SWT.BEGINNING, SWT.CENTER, false, false, v == RestartVariant.EQUIVALENT ? 1 : 2, 1));
      b.setSelection(v == chosen);
      if (v == RestartVariant.EQUIVALENT) {
        average = new Combo(variant, SWT.DROP_DOWN | SWT.READ_ONLY);
        average.setItems("ema", "swa", "twopoint");
        average.select(0);
        average.setToolTipText("the average whose equivalent schedule the restart trains with");
        average.addListener(SWT.Selection, e -> apply());
      }
      b.addListener(SWT.Selection, e -> {
        if (b.getSelection()) {
          chosen = v;
          apply();
        }
      });
      variants.add(b);
    }
    explanation = Forms.note(c, 1, 3);
    checkpoint.addListener(SWT.Selection, e -> {
      Forms.setText(steps, RestartVariant.defaultLength(restart().sourceSpec(), restart().source(), selectedCheckpoint()));
      apply();
    });
    steps.addModifyListener(e -> apply());
    Forms.setText(steps, RestartVariant.defaultLength(restart().sourceSpec(), restart().source(), selectedCheckpoint()));
    explanation.setText(chosen.explanation);
    return c;
  }

  private Path selectedCheckpoint() {
    return restart().checkpointFolders().get(Math.max(checkpoint.getSelectionIndex(), 0));
  }

  /** the variant's spec from the source run's, replacing what the next pages had edited */
  private void apply() {
    if (loading || steps == null) {
      return;
    }
    Long to = Forms.parseWhole(steps.getText());
    long at = RestartWizard.step(selectedCheckpoint());
    if (to == null || to <= at) {
      problem = "Train to an update after the checkpoint's (" + at + "), not '" + steps.getText() + "'.";
      updateMessage();
      return;
    }
    problem = null;
    explanation.setText(chosen.explanation);
    wizard().setSpec(chosen.apply(restart().sourceSpec(), restart().source(), selectedCheckpoint(), to,
        average.getText()));
    updateMessage();
  }

  /** chooses a variant as a click on its button does */
  public void choose(RestartVariant v) {
    for (Button b : variants) {
      b.setSelection(b.getData() == v);
    }
    chosen = v;
    apply();
  }

  public RestartVariant chosen() {
    return chosen;
  }

  public Text stepsField() {
    return steps;
  }

  public Combo checkpointCombo() {
    return checkpoint;
  }

  @Override
  protected void load(RunSpec s) {
    // the variant's spec is made from the source run's; nothing to show from the edited one
  }

  @Override
  protected String problem() {
    return problem;
  }
}
