package org.trajlab.ui.wizards;

import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.swt.widgets.Composite;
import org.trajlab.api.run.RunPreview;
import org.trajlab.api.spec.RunSpec;

/**
 * A page of a {@link SpecWizard}, contributed through {@code org.trajlab.ui.wizardPages}. It edits a part of the
 * wizard's one {@link RunSpec} ({@link SpecWizard#spec()}): it writes every edit into the spec at once and calls
 * {@link SpecWizard#changed()}, and it shows the spec again ({@link #load}) each time it becomes visible, since
 * other pages may have changed it. It hears the engine's {@link RunPreview} of the spec ({@link #previewed}).
 */
public abstract class SpecWizardPage extends WizardPage {
  private WizardPageRegistry.Contribution contribution;
  /** true while {@link #load} fills the controls, so their listeners do not write back */
  protected boolean loading;

  protected SpecWizardPage() {
    super("trajlab.page");
  }

  void contribution(WizardPageRegistry.Contribution c) {
    this.contribution = c;
    setTitle(c.title());
    if (c.description() != null) {
      setDescription(c.description());
    }
  }

  /** the contribution that made this page (id, title, order) */
  public WizardPageRegistry.Contribution contribution() {
    return contribution;
  }

  @Override
  public String getName() {
    return contribution == null ? super.getName() : contribution.id();
  }

  /** the wizard this page belongs to */
  protected SpecWizard wizard() {
    return (SpecWizard) getWizard();
  }

  /** the spec being edited */
  protected RunSpec spec() {
    return wizard().spec();
  }

  @Override
  public final void createControl(Composite parent) {
    setControl(createContents(parent));
  }

  /** the page's controls */
  protected abstract Composite createContents(Composite parent);

  /** fills the controls from {@code spec} (called whenever the page is shown) */
  protected abstract void load(RunSpec spec);

  /** the engine's preview of the current spec, or its one sentence when it refuses it (preview null) */
  protected void previewed(RunPreview preview, String problem) {
  }

  /**
   * the page's own problem with what was typed, or null. It keeps the page from being left; the engine's sentence
   * about the spec is shown when the page has none, and only keeps the wizard from finishing.
   */
  protected String problem() {
    return null;
  }

  /** runs {@link #load} with the listeners quiet */
  final void reload() {
    loading = true;
    try {
      load(spec());
    } finally {
      loading = false;
    }
    updateMessage();
  }

  /** an edit: the spec has changed (the wizard re-checks it) */
  protected void edited() {
    if (loading) {
      return;
    }
    wizard().changed();
    updateMessage();
  }

  /** the page's problem, else the engine's, as its error message */
  protected void updateMessage() {
    String own = problem();
    setErrorMessage(own != null ? own : getWizard() == null ? null : wizard().previewProblem());
    setPageComplete(own == null);
  }

  @Override
  public void setVisible(boolean visible) {
    if (visible && getControl() != null) {
      reload();
    }
    super.setVisible(visible);
  }
}
