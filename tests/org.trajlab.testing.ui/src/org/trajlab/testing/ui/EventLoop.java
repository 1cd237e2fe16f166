package org.trajlab.testing.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;

/** What every view test needs on the UI thread: run the event loop for a while or until something holds; screenshots. */
public final class EventLoop {
  private EventLoop() {}

  /** runs the event loop until {@code done} holds; an AssertionError after {@code timeout} */
  public static void spinUntil(BooleanSupplier done, Duration timeout, String what) {
    Display display = Display.getCurrent();
    long end = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      if (!display.readAndDispatch()) {
        sleep(10);
      }
    }
  }

  /** runs the event loop for {@code time} (layout and paint) */
  public static void spin(Duration time) {
    Display display = Display.getCurrent();
    long end = System.nanoTime() + time.toNanos();
    while (System.nanoTime() < end) {
      if (!display.readAndDispatch()) {
        sleep(10);
      }
    }
  }

  /**
   * the shell as the screen shows it (repainted whole, after 2 s of painting), saved as PNG under
   * ${trajlab.test.output}
   */
  public static Path screenshot(Shell shell, String name) throws Exception {
    Display display = shell.getDisplay();
    shell.forceActive();
    Point size = shell.getSize();
    shell.redraw(0, 0, size.x, size.y, true); // no pixels left over from an earlier size or layout
    spin(Duration.ofSeconds(2));
    Image image = new Image(display, size.x, size.y);
    GC gc = new GC(shell);
    try {
      gc.copyArea(image, 0, 0);
      ImageLoader loader = new ImageLoader();
      loader.data = new ImageData[] { image.getImageData() };
      Path dir = Path.of(System.getProperty("trajlab.test.output", "target/test-output"));
      Files.createDirectories(dir);
      Path png = dir.resolve(name);
      loader.save(png.toString(), SWT.IMAGE_PNG);
      return png;
    } finally {
      gc.dispose();
      image.dispose();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
