package org.trajlab.ui.tests;

import org.trajlab.testing.ui.EventLoop;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.WorkbenchException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.ui.Perspective;

/** What the workbench tests share: the real engine, the trajlab perspective, and waiting with the UI alive. */
final class UiTests {
  private static ServiceTracker<ExperimentRunner, ExperimentRunner> tracker;

  private UiTests() {}

  /** the engine's runner from the OSGi service registry, waiting up to 30 s for Declarative Services */
  static synchronized ExperimentRunner runner() throws InterruptedException, BundleException {
    if (tracker == null) {
      Bundle bundle = FrameworkUtil.getBundle(UiTests.class);
      if (bundle.getBundleContext() == null) {
        bundle.start(Bundle.START_TRANSIENT);
      }
      BundleContext context = bundle.getBundleContext();
      tracker = new ServiceTracker<>(context, ExperimentRunner.class, null);
      tracker.open();
    }
    ExperimentRunner runner = tracker.waitForService(30_000);
    assertNotNull(runner, "no ExperimentRunner service within 30 s: is the engine bundle in the test runtime?");
    return runner;
  }

  /** the default experiment cut down to {@code steps} updates on small evaluation sets, without probes */
  static RunSpec smallSpec(String name, long steps) {
    RunSpec spec = Specs.defaultExperiment();
    spec.name = name;
    spec.training.steps = steps;
    spec.data.trainEvalSize = 1000;
    spec.eval.every = 10;
    spec.probes.clear();
    return spec;
  }

  static IWorkbenchPage trajlabPage() throws WorkbenchException {
    IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
    PlatformUI.getWorkbench().showPerspective(Perspective.ID, window);
    return window.getActivePage();
  }

  /** runs the event loop until {@code done} holds, failing after {@code timeout} */
  static void spinUntil(BooleanSupplier done, Duration timeout, String what) {
    EventLoop.spinUntil(done, timeout, what);
  }

  /** runs the event loop for {@code time} (layout and paint) */
  static void spin(Duration time) {
    EventLoop.spin(time);
  }
}
