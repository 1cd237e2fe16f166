package org.trajlab.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStatus;

/**
 * What the Runs view's context menu does to the selected runs: cancel a run trained in this workbench (its
 * {@link RunJob}'s cancel: the engine stops before the next update and writes a CANCELLED status, the summary and
 * the rows so far), rename a run folder, delete run folders after a confirmation, open a run folder in the system's
 * file manager (or copy its path where there is none), and show a run's spec.json in a dialog. A run that is still
 * training can be cancelled, opened and shown, not renamed or deleted.
 */
public final class RunActions {
  public static final String CANCEL = "Cancel run";
  public static final String RENAME = "Rename…";
  public static final String DELETE = "Delete…";
  public static final String OPEN_FOLDER = "Open folder";
  public static final String SHOW_SPEC = "Show spec";

  private final RunsView view;

  RunActions(RunsView view) {
    this.view = view;
  }

  void fill(IMenuManager menu, List<RunFolder> selected, Function<RunFolder, RunStatus> status) {
    boolean one = selected.size() == 1;
    RunFolder first = selected.get(0);
    boolean anyActive = selected.stream().anyMatch(r -> active(r, status.apply(r)));
    Action cancel = new Action(CANCEL) {
      @Override
      public void run() {
        selected.forEach(RunActions::cancel);
      }
    };
    cancel.setEnabled(selected.stream().anyMatch(r -> job(r) != null));
    menu.add(cancel);
    Action rename = new Action(RENAME) {
      @Override
      public void run() {
        renameAsked(first);
      }
    };
    rename.setEnabled(one && !anyActive);
    menu.add(rename);
    Action delete = new Action(DELETE) {
      @Override
      public void run() {
        deleteAsked(selected);
      }
    };
    delete.setEnabled(!anyActive);
    menu.add(delete);
    Action open = new Action(OPEN_FOLDER) {
      @Override
      public void run() {
        openFolder(first);
      }
    };
    open.setEnabled(one);
    menu.add(open);
    Action spec = new Action(SHOW_SPEC) {
      @Override
      public void run() {
        showSpec(first).open();
      }
    };
    spec.setEnabled(one);
    menu.add(spec);
  }

  /** the job training {@code run} in this workbench, or null */
  public static RunJob job(RunFolder run) {
    for (Job j : Job.getJobManager().find(RunJob.FAMILY)) {
      if (j instanceof RunJob r && r.getFolder().dir().equals(run.dir())) {
        return r;
      }
    }
    return null;
  }

  /** whether {@code run} is training (here or in a live process of its own) */
  static boolean active(RunFolder run, RunStatus status) {
    return job(run) != null || status.state == RunState.RUNNING; // a RUNNING run whose process is gone reads INTERRUPTED
  }

  /** cancels the job training {@code run}; returns whether there was one */
  public static boolean cancel(RunFolder run) {
    RunJob job = job(run);
    if (job == null) {
      return false;
    }
    job.cancel();
    return true;
  }

  /**
   * why {@code name} cannot be the new name of {@code run}'s folder, one sentence, or null when it can (the validator
   * of the rename dialog)
   */
  public static String checkName(RunFolder run, String name) {
    String n = name == null ? "" : name.trim();
    if (n.isEmpty()) {
      return "Type a name for the run folder.";
    }
    if (n.contains("/") || n.contains("\\") || n.equals(".") || n.equals("..") || n.startsWith(".")) {
      return "A run folder's name cannot contain / or \\ or start with a dot.";
    }
    if (n.equals(run.name())) {
      return "That is the folder's name already.";
    }
    if (Files.exists(run.dir().resolveSibling(n))) {
      return "The runs folder already has a " + n + ".";
    }
    return null;
  }

  /** renames {@code run}'s folder to {@code name}; the Runs view selects it under its new name */
  public RunFolder rename(RunFolder run, String name) throws IOException {
    String why = checkName(run, name);
    if (why != null) {
      throw new IOException(why);
    }
    if (active(run, run.readStatus())) {
      throw new IOException(run.name() + " is training; cancel it or wait for it to end before renaming it.");
    }
    Path to = Files.move(run.dir(), run.dir().resolveSibling(name.trim()));
    view.reveal(to);
    return RunFolder.open(to);
  }

  private void renameAsked(RunFolder run) {
    Shell shell = view.getSite().getShell();
    InputDialog d = new InputDialog(shell, "Rename run", "New name of the folder " + run.name()
        + " (runs started from its checkpoints name it in their spec and will not find it under a new name):",
        run.name(), n -> checkName(run, n));
    if (d.open() != Window.OK) {
      return;
    }
    try {
      rename(run, d.getValue());
    } catch (IOException e) {
      MessageDialog.openError(shell, "Rename run", e.getMessage());
    }
  }

  /** the question the delete dialog asks about {@code runs} */
  public static String deleteQuestion(List<RunFolder> runs) {
    return runs.size() == 1
        ? "Delete the run " + runs.get(0).name() + " and everything in its folder (metrics, checkpoints, logs)?"
        : "Delete these " + runs.size() + " runs and everything in their folders (metrics, checkpoints, logs)?\n\n"
            + String.join("\n", runs.stream().map(RunFolder::name).toList());
  }

  /** deletes the folders of {@code runs} (none that is training); the Runs view drops them */
  public void delete(List<RunFolder> runs) throws IOException {
    for (RunFolder r : runs) {
      if (active(r, r.readStatus())) {
        throw new IOException(r.name() + " is training; cancel it or wait for it to end before deleting it.");
      }
    }
    for (RunFolder r : runs) {
      try (Stream<Path> walk = Files.walk(r.dir())) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    view.refresh();
  }

  private void deleteAsked(List<RunFolder> runs) {
    Shell shell = view.getSite().getShell();
    if (!MessageDialog.openConfirm(shell, "Delete runs", deleteQuestion(runs))) {
      return;
    }
    try {
      delete(runs);
    } catch (IOException e) {
      MessageDialog.openError(shell, "Delete runs", e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /** opens {@code run}'s folder in the system's file manager; where there is none, copies its path and says so */
  public void openFolder(RunFolder run) {
    if (!Program.launch(run.dir().toString())) {
      copyPath(run);
      MessageDialog.openInformation(view.getSite().getShell(), OPEN_FOLDER, "No file manager is set up here, so the"
          + " path " + run.dir() + " was copied to the clipboard.");
    }
  }

  /** puts {@code run}'s folder path on the clipboard */
  public void copyPath(RunFolder run) {
    Clipboard clipboard = new Clipboard(view.getSite().getShell().getDisplay());
    try {
      clipboard.setContents(new Object[] { run.dir().toString() }, new Transfer[] { TextTransfer.getInstance() });
    } finally {
      clipboard.dispose();
    }
  }

  /** the dialog that shows {@code run}'s spec.json (not yet open) */
  public SpecDialog showSpec(RunFolder run) {
    String text;
    try {
      text = Files.readString(run.file(RunFolder.SPEC), StandardCharsets.UTF_8);
    } catch (IOException e) {
      text = "spec.json cannot be read: " + e.getMessage();
    }
    return new SpecDialog(view.getSite().getShell(), run.name(), text);
  }

  /** spec.json of a run, read-only, in a resizable dialog with a Close button */
  public static final class SpecDialog extends Dialog {
    private final String name;
    private final String text;
    private Text area;

    SpecDialog(Shell parent, String name, String text) {
      super(parent);
      this.name = name;
      this.text = text;
      setShellStyle(getShellStyle() | SWT.RESIZE);
    }

    @Override
    protected void configureShell(Shell shell) {
      super.configureShell(shell);
      shell.setText("Spec of " + name);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
      Composite c = (Composite) super.createDialogArea(parent);
      area = new Text(c, SWT.MULTI | SWT.READ_ONLY | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
      area.setFont(org.eclipse.jface.resource.JFaceResources.getTextFont());
      area.setText(text);
      GridData gd = new GridData(SWT.FILL, SWT.FILL, true, true);
      gd.widthHint = 600;
      gd.heightHint = 500;
      area.setLayoutData(gd);
      return c;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
      createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, true);
    }

    @Override
    protected void buttonPressed(int buttonId) {
      close();
    }

    /** the text shown */
    public String getText() {
      return area == null ? text : area.getText();
    }
  }
}
