package org.trajlab.ui;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.LineRequest;
import org.trajlab.api.run.LineResult;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.store.RunFolder;

/**
 * The line between two runs (paper 002) as an Eclipse job ("trajlab line A -- B"): {@link ExperimentRunner#line}
 * with the defaults of {@code trajlab line} (31 points on α ∈ [−1, 2], train-eval and test) into
 * {@code <runs root>/lines/<A>--<B>-<yyyyMMdd-HHmmss>/}. The engine reports no progress for a line, so the job's is
 * indeterminate. The result is OK with {@link #getResult()}'s line, or an error whose message is the engine's
 * sentence (runs of different models, a run without a checkpoint).
 */
public class LineJob extends Job {
  /** the family of all line jobs */
  public static final Object FAMILY = LineJob.class;
  /** the folder under the runs root that lines go to */
  public static final String LINES_FOLDER = "lines";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  private final RunFolder a;
  private final RunFolder b;
  private final Path out;
  private final ExperimentRunner runner;
  private volatile LineResult line;

  public LineJob(RunFolder a, RunFolder b, Path runsRoot, ExperimentRunner runner) {
    super("trajlab line " + a.name() + " -- " + b.name());
    this.a = a;
    this.b = b;
    this.out = outFolder(runsRoot, a, b);
    this.runner = runner;
    setPriority(LONG);
  }

  /** {@code <root>/lines/<A>--<B>-<yyyyMMdd-HHmmss>}, with a counter when that exists already */
  static Path outFolder(Path root, RunFolder a, RunFolder b) {
    Path base = root.resolve(LINES_FOLDER).resolve(a.name() + "--" + b.name() + "-" + LocalDateTime.now().format(STAMP));
    Path p = base;
    for (int i = 2; java.nio.file.Files.exists(p); i++) {
      p = Path.of(base + "-" + i);
    }
    return p;
  }

  @Override
  protected IStatus run(IProgressMonitor monitor) {
    monitor.beginTask(getName(), IProgressMonitor.UNKNOWN);
    monitor.subTask(String.format(Locale.ROOT, "%d points of α from %s to %s on %s", LineRequest.DEFAULT_POINTS,
        LineRequest.DEFAULT_FROM, LineRequest.DEFAULT_TO, String.join(" and ", LineRequest.DEFAULT_SETS)));
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(runner.getClass().getClassLoader());
    try {
      line = runner.line(LineRequest.of(a.dir(), b.dir(), out));
      return Status.OK_STATUS;
    } catch (SpecException e) {
      return Status.error(e.getMessage());
    } catch (RuntimeException e) {
      ILog.of(LineJob.class).error("The line between " + a.name() + " and " + b.name() + " failed", e);
      return Status.error("The line between " + a.name() + " and " + b.name() + " failed: " + e.getMessage());
    } finally {
      thread.setContextClassLoader(before);
      monitor.done();
    }
  }

  @Override
  public boolean belongsTo(Object family) {
    return family == FAMILY;
  }

  /** the line computed, or null until the job has ended well */
  public LineResult getLine() {
    return line;
  }

  /** the folder the line goes to */
  public Path getOut() {
    return out;
  }
}
