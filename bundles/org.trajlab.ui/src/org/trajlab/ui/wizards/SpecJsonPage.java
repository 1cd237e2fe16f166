package org.trajlab.ui.wizards;

import java.util.Locale;

import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.trajlab.api.run.RunPreview;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;

/** The spec JSON the wizard will run (the run folder keeps it resolved as spec.json), and whether the engine takes it. */
public class SpecJsonPage extends SpecWizardPage {
  private Text json;
  private Label verdict;

  @Override
  protected Composite createContents(Composite parent) {
    Composite c = new Composite(parent, SWT.NONE);
    c.setLayout(new GridLayout(1, false));
    verdict = Forms.note(c, 1, 2);
    json = new Text(c, SWT.MULTI | SWT.READ_ONLY | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
    json.setFont(JFaceResources.getTextFont());
    GridData d = new GridData(SWT.FILL, SWT.FILL, true, true);
    d.heightHint = 380;
    json.setLayoutData(d);
    return c;
  }

  @Override
  protected void load(RunSpec s) {
    json.setText(Specs.toJson(s));
    previewed(wizard().preview(), wizard().previewProblem());
  }

  @Override
  protected void previewed(RunPreview p, String problem) {
    if (json.isDisposed()) {
      return;
    }
    String now = Specs.toJson(spec());
    if (!json.getText().equals(now)) {
      json.setText(now);
    }
    verdict.setText(p != null ? String.format(Locale.ROOT, "The engine accepts this spec: %,d updates on %s. Finish"
        + " starts it as a job.", p.totalSteps() - p.startStep(), p.dataTitle())
        : problem != null ? problem : "Checking…");
  }

  @Override
  protected String problem() {
    return null;
  }

  public String jsonText() {
    return json.getText();
  }

  public String verdictText() {
    return verdict.getText();
  }
}
