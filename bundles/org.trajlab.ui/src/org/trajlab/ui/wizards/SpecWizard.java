package org.trajlab.ui.wizards;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.wizard.IWizardPage;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunPreview;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunStore;
import org.trajlab.ui.RunJob;
import org.trajlab.ui.RunsView;

/**
 * A wizard that edits one {@link RunSpec} on the pages contributed for its kind ({@link WizardPageRegistry}) and, on
 * Finish, starts it as a {@link RunJob} into a new folder under {@link #outputRoot()}. While pages are edited the
 * engine previews the spec ({@link ExperimentRunner#preview}) in the background, a moment after the last keystroke,
 * and every page hears the result. The New Experiment, Restart and (later) Sweep wizards are this class with
 * another first spec and another kind; a Sweep would start several specs where this starts one.
 */
public class SpecWizard extends Wizard {
  /** the longest plan a preview computes */
  public static final int PREVIEW_MAX_STEPS = 2_000_000;
  /** how long after the last edit the preview starts */
  public static final int PREVIEW_DELAY_MILLIS = 300;

  private final String kind;
  private final ExperimentRunner runner;
  private RunSpec spec;
  private Path outputRoot;
  private final List<SpecWizardPage> specPages = new ArrayList<>();
  private RunPreview preview;
  private String previewProblem;
  /** the JSON of the spec the current preview (or problem) is of */
  private String previewedJson;
  private Job previewJob;
  private RunJob job;

  public SpecWizard(String kind, String title, RunSpec spec, Path outputRoot, ExperimentRunner runner) {
    this.kind = kind;
    this.spec = spec;
    this.outputRoot = outputRoot;
    this.runner = runner;
    setWindowTitle(title);
    setNeedsProgressMonitor(false);
  }

  /** new, restart or sweep */
  public String kind() {
    return kind;
  }

  public RunSpec spec() {
    return spec;
  }

  /** replaces the spec as a whole (a restart variant); the pages show it when they are next shown */
  public void setSpec(RunSpec spec) {
    this.spec = spec;
    changed();
  }

  public ExperimentRunner runner() {
    return runner;
  }

  /** the folder new run folders go into */
  public Path outputRoot() {
    return outputRoot;
  }

  public void setOutputRoot(Path root) {
    this.outputRoot = root;
  }

  @Override
  public void addPages() {
    for (WizardPageRegistry.Contribution c : WizardPageRegistry.pages(kind)) {
      try {
        SpecWizardPage page = c.create();
        specPages.add(page);
        addPage(page);
      } catch (CoreException e) {
        org.eclipse.core.runtime.Platform.getLog(SpecWizard.class).error("the wizard page " + c.id()
            + " cannot be created", e);
      }
    }
  }

  /** the contributed pages, in order */
  public List<SpecWizardPage> specPages() {
    return List.copyOf(specPages);
  }

  /** the page of contribution id {@code id}, or null */
  public SpecWizardPage page(String id) {
    for (SpecWizardPage p : specPages) {
      if (p.contribution().id().equals(id)) {
        return p;
      }
    }
    return null;
  }

  @Override
  public void createPageControls(org.eclipse.swt.widgets.Composite pageContainer) {
    super.createPageControls(pageContainer);
    changed();
  }

  /** a page changed the spec: re-check it a moment later */
  public void changed() {
    if (getContainer() != null && getContainer().getCurrentPage() != null) {
      getContainer().updateButtons();
    }
    Display display = Display.getCurrent();
    if (display == null) {
      return;
    }
    display.timerExec(-1, previewNow);
    display.timerExec(PREVIEW_DELAY_MILLIS, previewNow);
  }

  private final Runnable previewNow = this::startPreview;

  private void startPreview() {
    RunSpec copy = Specs.copy(spec);
    String json = Specs.toJson(copy);
    Display display = Display.getCurrent();
    if (previewJob != null) {
      previewJob.cancel();
    }
    Job j = new Job("trajlab: checking the spec") {
      @Override
      protected IStatus run(IProgressMonitor monitor) {
        RunPreview p = null;
        String problem = null;
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(runner.getClass().getClassLoader());
        try {
          p = runner.preview(copy, PREVIEW_MAX_STEPS);
        } catch (SpecException e) {
          problem = e.getMessage();
        } catch (RuntimeException e) {
          problem = "The engine cannot check this spec: " + e.getMessage();
        } finally {
          thread.setContextClassLoader(before);
        }
        if (monitor.isCanceled()) {
          return Status.CANCEL_STATUS;
        }
        RunPreview result = p;
        String said = problem;
        if (!display.isDisposed()) {
          display.asyncExec(() -> previewed(json, result, said));
        }
        return Status.OK_STATUS;
      }
    };
    j.setSystem(true);
    previewJob = j;
    j.schedule();
  }

  private void previewed(String json, RunPreview p, String problem) {
    if (!json.equals(Specs.toJson(spec))) {
      return; // the spec changed since; its own preview is on the way
    }
    preview = p;
    previewProblem = problem;
    previewedJson = json;
    for (SpecWizardPage page : specPages) {
      if (page.getControl() != null && !page.getControl().isDisposed()) {
        page.previewed(p, problem);
        page.updateMessage();
      }
    }
    if (getContainer() != null && getContainer().getCurrentPage() != null) {
      getContainer().updateButtons();
      getContainer().updateMessage();
    }
  }

  /** the preview of the spec as it is now, or null while it is being computed or when the engine refused it */
  public RunPreview preview() {
    return isPreviewCurrent() ? preview : null;
  }

  /** the engine's sentence about the spec as it is now, or null */
  public String previewProblem() {
    return isPreviewCurrent() ? previewProblem : null;
  }

  /** whether the preview (or problem) is of the spec as it is now */
  public boolean isPreviewCurrent() {
    return previewedJson != null && previewedJson.equals(Specs.toJson(spec));
  }

  @Override
  public boolean canFinish() {
    for (IWizardPage p : getPages()) {
      if (!p.isPageComplete()) {
        return false;
      }
    }
    return isPreviewCurrent() && previewProblem == null;
  }

  @Override
  public boolean performFinish() {
    SpecWizardPage current = (SpecWizardPage) getContainer().getCurrentPage();
    RunSpec toRun = Specs.copy(spec);
    try {
      runner.check(toRun);
    } catch (SpecException e) {
      current.setErrorMessage(e.getMessage());
      return false;
    }
    RunFolder folder;
    try {
      folder = new RunStore(outputRoot).newRun(toRun.name);
    } catch (IOException e) {
      current.setErrorMessage("Cannot make a run folder under " + outputRoot + ": " + e.getMessage());
      return false;
    }
    job = new RunJob(toRun, folder, runner);
    job.schedule();
    IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
    IWorkbenchPage page = window == null ? null : window.getActivePage();
    if (page != null && page.findView(RunsView.ID) instanceof RunsView runs) {
      runs.reveal(folder.dir());
    }
    return true;
  }

  /** the job Finish started, or null */
  public RunJob getJob() {
    return job;
  }

  @Override
  public void dispose() {
    Display display = Display.getCurrent();
    if (display != null) {
      display.timerExec(-1, previewNow);
    }
    if (previewJob != null) {
      previewJob.cancel();
    }
    super.dispose();
  }
}
