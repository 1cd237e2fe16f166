package org.trajlab.ui;

import java.util.Locale;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.store.RunFolder;

/**
 * Runs one experiment as an Eclipse job ("trajlab run &lt;folder&gt;"): the engine's progress becomes the job's
 * progress (one unit of work per update, the step, epoch and batch loss as sub-task), cancelling the job cancels the
 * run. The result is OK when the run is DONE, CANCEL when it was cancelled, a warning when it DIVERGED, and an error
 * with the reason when the spec was refused or the run FAILED.
 */
public class RunJob extends Job {
  /** the family of all run jobs, for {@code Job.getJobManager().find(RunJob.FAMILY)} */
  public static final Object FAMILY = RunJob.class;

  private final RunSpec spec;
  private final RunFolder folder;
  private final ExperimentRunner runner;
  private volatile RunOutcome outcome;

  public RunJob(RunSpec spec, RunFolder folder, ExperimentRunner runner) {
    super("trajlab run " + folder.name());
    this.spec = spec;
    this.folder = folder;
    this.runner = runner;
    setPriority(LONG);
  }

  @Override
  protected IStatus run(IProgressMonitor monitor) {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    // libraries inside the engine look classes up through the context class loader; a job thread has none of theirs
    thread.setContextClassLoader(runner.getClass().getClassLoader());
    try {
      outcome = runner.run(spec, folder, new JobMonitor(monitor, getName()));
    } catch (SpecException e) {
      return Status.error(e.getMessage());
    } finally {
      thread.setContextClassLoader(before);
      monitor.done();
    }
    return switch (outcome.state()) {
      case DONE -> Status.OK_STATUS;
      case CANCELLED -> Status.CANCEL_STATUS;
      case DIVERGED -> Status.warning(folder.name() + " diverged after " + outcome.steps() + " updates"
          + (outcome.message() == null ? "." : ": " + outcome.message()));
      default -> Status.error(folder.name() + " ended " + outcome.state() + " after " + outcome.steps() + " updates"
          + (outcome.message() == null ? "." : ": " + outcome.message()));
    };
  }

  @Override
  public boolean belongsTo(Object family) {
    return family == FAMILY;
  }

  /** how the run ended; null until it has */
  public RunOutcome getOutcome() {
    return outcome;
  }

  public RunFolder getFolder() {
    return folder;
  }

  /** The engine's view of the job's progress monitor. */
  private record JobMonitor(IProgressMonitor monitor, String name) implements RunMonitor {
    @Override
    public void started(long fromStep, long totalSteps) {
      long work = totalSteps - fromStep; // one unit per update done in this job
      monitor.beginTask(name, work > Integer.MAX_VALUE || work <= 0 ? IProgressMonitor.UNKNOWN : (int) work);
    }

    @Override
    public void progress(long step, long totalSteps, int epoch, double batchLoss) {
      monitor.worked(1);
      monitor.subTask(String.format(Locale.ROOT, "step %d/%d, epoch %d, loss %.4f", step, totalSteps, epoch,
          batchLoss));
    }

    @Override
    public boolean isCancelled() {
      return monitor.isCanceled();
    }
  }
}
