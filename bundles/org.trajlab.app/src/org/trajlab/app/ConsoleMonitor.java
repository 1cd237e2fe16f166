package org.trajlab.app;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

import org.trajlab.api.run.RunMonitor;

/** Progress on stderr: at most one line every {@code intervalNanos}, with rate and ETA; cancels on request. */
final class ConsoleMonitor implements RunMonitor {
  private final PrintStream err;
  private final long intervalNanos;
  private final AtomicBoolean cancelled;
  private long start;
  private long last;

  ConsoleMonitor(PrintStream err, long intervalNanos, AtomicBoolean cancelled) {
    this.err = err;
    this.intervalNanos = intervalNanos;
    this.cancelled = cancelled;
  }

  @Override
  public void started(long totalSteps) {
    start = System.nanoTime();
    last = start;
    err.println("[trajlab] " + totalSteps + " updates to go");
  }

  @Override
  public void progress(long step, long total, int epoch, double batchLoss) {
    long now = System.nanoTime();
    if (now - last < intervalNanos && step != total) {
      return;
    }
    last = now;
    err.println("[trajlab] " + line(step, total, epoch, batchLoss, (now - start) / 1e9));
  }

  static String line(long step, long total, int epoch, double batchLoss, double seconds) {
    double rate = step / Math.max(seconds, 1e-9);
    long eta = rate > 0 ? Math.round((total - step) / rate) : -1;
    return String.format("update %d/%d (%.0f%%) | epoch %d | %.1f updates/s | ETA %s | batch loss %.4f", step, total,
        total == 0 ? 100.0 : 100.0 * step / total, epoch, rate, eta < 0 ? "?" : clock(eta), batchLoss);
  }

  static String clock(long s) {
    return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }

  @Override
  public void message(String line) {
    err.println("[trajlab] " + line);
  }

  @Override
  public boolean isCancelled() {
    return cancelled.get();
  }
}
