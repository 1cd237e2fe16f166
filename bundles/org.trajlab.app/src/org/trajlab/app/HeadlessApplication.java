package org.trajlab.app;

import java.util.Map;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.trajlab.api.run.ExperimentRunner;

/**
 * The headless Eclipse application behind the {@code trajlab} launcher script. Its return value is the process
 * exit code; Ctrl-C (SIGINT/SIGTERM) cancels the run cleanly, so the run folder ends consistent.
 */
public final class HeadlessApplication implements IApplication {
  @Override
  public Object start(IApplicationContext context) throws Exception {
    Map<?, ?> a = context.getArguments();
    String[] args = (String[]) a.get(IApplicationContext.APPLICATION_ARGS);
    context.applicationRunning();
    ExperimentRunner runner = runner(30_000);
    if (runner == null) {
      System.err.println("[trajlab] the training engine (org.trajlab.engine) is not installed or did not start");
      return TrajlabCli.FAILED;
    }
    TrajlabCli cli = new TrajlabCli(runner, System.out, System.err);
    Thread hook = new Thread(() -> cli.cancelAndWait(15_000), "trajlab-cancel");
    Runtime.getRuntime().addShutdownHook(hook);
    int code = cli.execute(args == null ? new String[0] : args);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    return Integer.valueOf(code);
  }

  /** the engine's ExperimentRunner service, waiting up to {@code millis} for Declarative Services to start it */
  static ExperimentRunner runner(long millis) throws InterruptedException {
    BundleContext bc = FrameworkUtil.getBundle(HeadlessApplication.class).getBundleContext();
    ServiceTracker<ExperimentRunner, ExperimentRunner> t = new ServiceTracker<>(bc, ExperimentRunner.class, null);
    t.open();
    return t.waitForService(millis);
  }

  @Override
  public void stop() {
  }
}
