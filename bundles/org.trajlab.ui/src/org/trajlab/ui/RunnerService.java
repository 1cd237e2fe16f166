package org.trajlab.ui;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.trajlab.api.run.ExperimentRunner;

/**
 * The {@link ExperimentRunner} the engine bundle registers with Declarative Services. The tracker stays open while
 * this bundle runs, so the engine component stays active while the workbench uses it.
 */
public final class RunnerService {
  private static ServiceTracker<ExperimentRunner, ExperimentRunner> tracker;

  private RunnerService() {}

  /** the runner, waiting up to {@code millis} ms for the engine to register it; null when there is none */
  public static ExperimentRunner get(long millis) throws InterruptedException {
    return tracker().waitForService(millis);
  }

  /** how long {@link #orSay} waits for the engine to register its runner (it starts with the workbench) */
  public static final long WAIT_MILLIS = 5000;

  /**
   * the runner, waiting up to {@value #WAIT_MILLIS} ms; when there is none, one sentence in an error dialog titled
   * {@code title} and null (null too when the wait is interrupted)
   */
  public static ExperimentRunner orSay(Shell shell, String title) {
    ExperimentRunner runner;
    try {
      runner = get(WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    if (runner == null) {
      MessageDialog.openError(shell, title, "No experiment engine is installed: nothing provides the "
          + ExperimentRunner.class.getName() + " service.");
    }
    return runner;
  }

  private static synchronized ServiceTracker<ExperimentRunner, ExperimentRunner> tracker() {
    if (tracker == null) {
      BundleContext context = FrameworkUtil.getBundle(RunnerService.class).getBundleContext();
      tracker = new ServiceTracker<>(context, ExperimentRunner.class, null);
      tracker.open();
    }
    return tracker;
  }
}
