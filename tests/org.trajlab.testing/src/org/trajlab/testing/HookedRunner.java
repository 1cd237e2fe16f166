package org.trajlab.testing;

import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.store.RunFolder;

/**
 * An {@link ExperimentRunner} that hands every call to a real one and, in runs it starts, calls a hook after each
 * update with the run's folder, on the training thread: the tests' way to pause a run half-way, or to break its disk
 * at a chosen update. Checks and resumes pass through untouched.
 */
public final class HookedRunner implements ExperimentRunner {
  /** called after update {@code step} is done (and reported to the caller's monitor) */
  @FunctionalInterface
  public interface AfterUpdate {
    void after(long step, RunFolder folder) throws Exception;
  }

  private final ExperimentRunner real;
  private final AfterUpdate hook;

  public HookedRunner(ExperimentRunner real, AfterUpdate hook) {
    this.real = real;
    this.hook = hook;
  }

  @Override
  public void check(RunSpec spec) throws SpecException {
    real.check(spec);
  }

  @Override
  public RunOutcome resume(RunFolder folder, RunMonitor monitor) throws SpecException {
    return real.resume(folder, monitor);
  }

  @Override
  public RunOutcome run(RunSpec spec, RunFolder folder, RunMonitor monitor) throws SpecException {
    return real.run(spec, folder, new RunMonitor() {
      @Override
      public void started(long fromStep, long totalSteps) {
        monitor.started(fromStep, totalSteps);
      }

      @Override
      public void progress(long step, long totalSteps, int epoch, double batchLoss) {
        monitor.progress(step, totalSteps, epoch, batchLoss);
        try {
          hook.after(step, folder);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void message(String line) {
        monitor.message(line);
      }

      @Override
      public boolean isCancelled() {
        return monitor.isCancelled();
      }
    });
  }
}
