package org.trajlab.ui.wizards;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.trajlab.api.spec.RunSpec;

/**
 * Output: the folder the new run folder goes into (the runs folder of the preferences by default; the Runs view
 * lists that one), the run's name, and its checkpoints (every N updates, at epoch ends, at the end).
 */
public class OutputPage extends SpecWizardPage {
  private Text folder;
  private Text name;
  private Text every;
  private Button epochs;
  private Button end;
  private Label where;
  private String problem;

  @Override
  protected Composite createContents(Composite parent) {
    Composite c = new Composite(parent, SWT.NONE);
    c.setLayout(new GridLayout(1, false));
    Group out = Forms.group(c, "Run folder", 3);
    folder = Forms.text(out, "Folder:", "new run folders are made inside it as <yyyyMMdd-HHmmss>-<name>", 1);
    Button browse = new Button(out, SWT.PUSH);
    browse.setText("Browse…");
    browse.addListener(SWT.Selection, e -> {
      DirectoryDialog d = new DirectoryDialog(getShell());
      d.setFilterPath(folder.getText());
      String dir = d.open();
      if (dir != null) {
        folder.setText(dir);
      }
    });
    name = Forms.text(out, "Name:", "the spec's name: a word of letters, digits, '.', '_' or '-'", 2);
    where = Forms.note(out, 3, 2);
    Group ck = Forms.group(c, "Checkpoints (for restarts and resume)", 2);
    every = Forms.text(ck, "Every (updates):", "checkpoints.every: empty = none on a step schedule", 1);
    epochs = Forms.check(ck, "At the end of every epoch", 2);
    end = Forms.check(ck, "At the end of the run", 2);

    folder.addModifyListener(e -> {
      if (loading) return;
      try {
        wizard().setOutputRoot(Path.of(folder.getText().trim()));
        problem = folder.getText().isBlank() ? "Choose a folder for the run." : null;
      } catch (InvalidPathException ex) {
        problem = "The folder '" + folder.getText() + "' is not a valid path.";
      }
      showWhere();
      edited();
    });
    name.addModifyListener(e -> {
      if (loading) return;
      spec().name = name.getText().trim();
      showWhere();
      edited();
    });
    every.addModifyListener(e -> {
      if (loading) return;
      if (every.getText().isBlank()) {
        spec().checkpoints.every = null;
        problem = null;
      } else {
        Long v = Forms.parseWhole(every.getText());
        problem = v == null || v <= 0 ? "Checkpoints every must be a positive whole number of updates, not '"
            + every.getText() + "'." : null;
        if (v != null && v > 0) spec().checkpoints.every = (int) Math.min(v, Integer.MAX_VALUE);
      }
      edited();
    });
    epochs.addListener(SWT.Selection, e -> {
      spec().checkpoints.epochs = epochs.getSelection();
      edited();
    });
    end.addListener(SWT.Selection, e -> {
      spec().checkpoints.end = end.getSelection();
      edited();
    });
    return c;
  }

  private void showWhere() {
    where.setText("The run will be written to " + wizard().outputRoot().resolve("<yyyyMMdd-HHmmss>-" + spec().name)
        + " and started as a job (Progress view; cancel there).");
  }

  @Override
  protected void load(RunSpec s) {
    Forms.setText(folder, wizard().outputRoot().toString());
    Forms.setText(name, s.name);
    Forms.setText(every, s.checkpoints.every);
    epochs.setSelection(s.checkpoints.epochs);
    end.setSelection(s.checkpoints.end);
    showWhere();
  }

  @Override
  protected String problem() {
    return problem;
  }

  public Text folderField() {
    return folder;
  }

  public Text everyField() {
    return every;
  }
}
