package org.trajlab.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.trajlab.api.run.RunMonitor;

/**
 * Progress on stderr: what will happen when the run begins, then at most one line every {@code intervalNanos}, with
 * rate and ETA over the updates done in this process; cancels on request.
 */
final class ConsoleMonitor implements RunMonitor {
  private final PrintStream err;
  private final long intervalNanos;
  private final AtomicBoolean cancelled;
  private final Path resumed;
  private long start;
  private long last;
  private long from;

  /** {@code resumed}: the run folder when this process resumes it (null for a new run) */
  ConsoleMonitor(PrintStream err, long intervalNanos, AtomicBoolean cancelled, Path resumed) {
    this.err = err;
    this.intervalNanos = intervalNanos;
    this.cancelled = cancelled;
    this.resumed = resumed;
  }

  @Override
  public void started(long fromStep, long totalSteps) {
    start = System.nanoTime();
    last = start;
    from = fromStep;
    err.println("[trajlab] " + announcement(fromStep, totalSteps, resumed));
  }

  /** what the run will do, e.g. "resuming RUN at update 600: 400 updates to go (to 1000)" */
  static String announcement(long from, long total, Path resumed) {
    if (total <= from) return "probe-only run at update " + from + " (no training)";
    String toGo = (total - from) + " updates to go";
    if (resumed != null) return "resuming " + resumed.toAbsolutePath() + " at update " + from + ": " + toGo + " (to " + total + ")";
    if (from > 0) return "continuing from update " + from + ": " + toGo + " (to " + total + ")";
    return toGo;
  }

  @Override
  public void progress(long step, long total, int epoch, double batchLoss) {
    long now = System.nanoTime();
    if (now - last < intervalNanos && step != total) {
      return;
    }
    last = now;
    err.println("[trajlab] " + line(from, step, total, epoch, batchLoss, (now - start) / 1e9));
  }

  /** the progress line; rate and ETA count the updates done since {@code from} (this process's), in {@code seconds} */
  static String line(long from, long step, long total, int epoch, double batchLoss, double seconds) {
    double rate = (step - from) / Math.max(seconds, 1e-9);
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
