package org.trajlab.ui;

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

  private static synchronized ServiceTracker<ExperimentRunner, ExperimentRunner> tracker() {
    if (tracker == null) {
      BundleContext context = FrameworkUtil.getBundle(RunnerService.class).getBundleContext();
      tracker = new ServiceTracker<>(context, ExperimentRunner.class, null);
      tracker.open();
    }
    return tracker;
  }
}
