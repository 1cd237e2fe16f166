package org.trajlab.app;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.DivergedCheckpointException;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunStore;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line: {@code trajlab run [SPEC.json] [--out DIR]}, {@code trajlab check SPEC.json},
 * {@code trajlab default-spec}, {@code trajlab equivalent SPEC.json --average AVG --out DIR} ({@link EquivalentCommand}),
 * {@code trajlab line A B --out DIR}, {@code trajlab contributions} ({@link ContributionsCommand}). Exit codes: 0 done, 1 a failure while running, 2 the spec or the command line is
 * wrong, a checkpoint to start from is damaged (one sentence on stderr, no stack trace), 3 the run diverged or its
 * checkpoint holds non-finite parameters, 130 cancelled (Ctrl-C).
 */
@Command(name = "trajlab", mixinStandardHelpOptions = true, version = "trajlab 0.1.0",
    description = "The SGD Trajectory Lab, headless.", subcommands = { TrajlabCli.Run.class, TrajlabCli.Check.class,
        TrajlabCli.DefaultSpec.class, EquivalentCommand.class, TrajlabCli.Line.class, ContributionsCommand.class })
public final class TrajlabCli implements Callable<Integer> {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_SPEC = 2;
  public static final int DIVERGED = 3;
  public static final int CANCELLED = 130;

  private final ExperimentRunner runner;
  private final PrintStream out;
  private final PrintStream err;
  private final AtomicBoolean cancel = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  long progressIntervalNanos = 2_000_000_000L;

  public TrajlabCli(ExperimentRunner runner, PrintStream out, PrintStream err) {
    this.runner = runner;
    this.out = out;
    this.err = err;
  }

  /** runs the command line; never throws, returns the exit code */
  public int execute(String... args) {
    CommandLine cl = new CommandLine(this, new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        if (cls == Run.class) return cls.cast(new Run(this0()));
        if (cls == Check.class) return cls.cast(new Check(this0()));
        if (cls == DefaultSpec.class) return cls.cast(new DefaultSpec(this0()));
        if (cls == EquivalentCommand.class) return cls.cast(new EquivalentCommand(this0()));
        if (cls == Line.class) return cls.cast(new Line(this0()));
        if (cls == ContributionsCommand.class) return cls.cast(new ContributionsCommand(this0()));
        return CommandLine.defaultFactory().create(cls);
      }
    });
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("[trajlab] " + ex.getMessage() + " (see trajlab --help)");
      return BAD_SPEC;
    });
    cl.setExecutionExceptionHandler((ex, c, p) -> {
      err.println("[trajlab] failed: " + ex);
      return FAILED;
    });
    try {
      return cl.execute(args);
    } finally {
      finished.countDown();
    }
  }

  private TrajlabCli this0() {
    return this;
  }

  /** asks a running command to stop cleanly and waits (bounded) until its run folder is closed */
  public void cancelAndWait(long millis) {
    cancel.set(true);
    try {
      finished.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(out);
    return BAD_SPEC;
  }

  ExperimentRunner runner() {
    return runner;
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  AtomicBoolean cancelFlag() {
    return cancel;
  }

  int specErrorCode(SpecException e) {
    return specError(e);
  }

  /** one sentence; exit 2, or 3 when the checkpoint to start from had diverged */
  private int specError(SpecException e) {
    err.println("[trajlab] " + e.getMessage());
    return e instanceof DivergedCheckpointException ? DIVERGED : BAD_SPEC;
  }

  @Command(name = "run", description = "Run SPEC (or the built-in default experiment) into a new run folder.")
  static final class Run implements Callable<Integer> {
    private final TrajlabCli cli;
    @Parameters(arity = "0..1", paramLabel = "SPEC.json", description = "the run spec; none = the default experiment")
    Path specFile;
    @Option(names = "--out", paramLabel = "DIR", description = "the run folder (new or empty); default: a new folder under --runs-root")
    Path out;
    @Option(names = "--runs-root", paramLabel = "DIR", description = "where new run folders go (default $TRAJLAB_RUNS or ~/trajlab-runs)")
    Path runsRoot;
    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "continue an interrupted or cancelled run from its latest checkpoint")
    Path resume;

    Run(TrajlabCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      if (resume != null) {
        return resume();
      }
      RunSpec spec;
      try {
        spec = specFile == null ? Specs.defaultExperiment() : Specs.read(specFile);
        cli.runner.check(spec);
      } catch (SpecException e) {
        return cli.specError(e);
      }
      RunFolder folder;
      boolean created;
      try {
        Path dir = out;
        created = dir == null || !Files.exists(dir);
        folder = dir != null ? RunFolder.create(dir)
            : new RunStore(runsRoot != null ? runsRoot : RunStore.defaultRoot()).newRun(spec.name);
      } catch (IOException e) {
        cli.err.println("[trajlab] " + e.getMessage());
        return BAD_SPEC;
      }
      cli.err.println("[trajlab] run " + spec.name + " -> " + folder.dir().toAbsolutePath());
      RunOutcome o;
      try {
        o = cli.runner.run(spec, folder, new ConsoleMonitor(cli.err, cli.progressIntervalNanos, cli.cancel, null));
      } catch (SpecException e) {
        if (created) deleteQuietly(folder.dir());
        return cli.specError(e);
      }
      return finish(o, folder);
    }

    private int resume() {
      if (specFile != null || out != null) {
        cli.err.println("[trajlab] --resume continues a run with its own spec and folder; give no SPEC.json and no --out.");
        return BAD_SPEC;
      }
      RunFolder folder = RunFolder.open(resume);
      try { // the monitor announces the resume once the run and its checkpoint have been checked
        return finish(cli.runner.resume(folder, new ConsoleMonitor(cli.err, cli.progressIntervalNanos, cli.cancel, resume)), folder);
      } catch (SpecException e) {
        return cli.specError(e);
      }
    }

    private int finish(RunOutcome o, RunFolder folder) {
      cli.err.println("[trajlab] " + o.state().name().toLowerCase() + " after " + o.steps() + " updates"
          + (o.message() == null ? "" : ": " + o.message()) + " (" + folder.dir().toAbsolutePath() + ")");
      cli.out.println(folder.dir().toAbsolutePath());
      return switch (o.state()) {
        case DONE -> OK;
        case DIVERGED -> DIVERGED;
        case CANCELLED -> CANCELLED;
        default -> FAILED;
      };
    }

    private static void deleteQuietly(Path dir) {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // an empty folder left behind is harmless
      }
    }
  }

  @Command(name = "check", description = "Check SPEC against the data and the installed probes without running it.")
  static final class Check implements Callable<Integer> {
    private final TrajlabCli cli;
    @Parameters(paramLabel = "SPEC.json")
    Path specFile;

    Check(TrajlabCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      try {
        cli.runner.check(Specs.read(specFile));
        cli.out.println("[trajlab] " + specFile + " is a valid spec");
        return OK;
      } catch (SpecException e) {
        return cli.specError(e);
      }
    }
  }

  @Command(name = "default-spec", description = "Print the built-in default experiment's spec (a starting point).")
  static final class DefaultSpec implements Callable<Integer> {
    private final TrajlabCli cli;

    DefaultSpec(TrajlabCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      cli.out.println(Specs.toJson(Specs.defaultExperiment()));
      return OK;
    }
  }

  @Command(name = "line", description = "Loss and accuracy along the line (1 - alpha) theta_A + alpha theta_B between"
      + " two runs or checkpoints (paper 002), into DIR (lines.csv, summary.json).")
  static final class Line implements Callable<Integer> {
    private final TrajlabCli cli;
    @Parameters(index = "0", paramLabel = "A", description = "a run folder (its final checkpoint) or a checkpoint folder")
    Path a;
    @Parameters(index = "1", paramLabel = "B", description = "the other end, likewise")
    Path b;
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "the folder the line goes to (new or empty)")
    Path out;
    @Option(names = "--points", paramLabel = "N", description = "alpha points, evenly spaced (0 and 1 always added); default 31")
    int points = org.trajlab.api.run.LineRequest.DEFAULT_POINTS;
    @Option(names = "--from", paramLabel = "ALPHA", description = "the first alpha; default -1")
    double from = org.trajlab.api.run.LineRequest.DEFAULT_FROM;
    @Option(names = "--to", paramLabel = "ALPHA", description = "the last alpha; default 2")
    double to = org.trajlab.api.run.LineRequest.DEFAULT_TO;
    @Option(names = "--sets", paramLabel = "SET", split = ",", description = "train-eval, test, train-full; default train-eval,test")
    java.util.List<String> sets = org.trajlab.api.run.LineRequest.DEFAULT_SETS;
    @Option(names = "--bn-data", paramLabel = "VIEW", description = "where batch norm's running statistics are"
        + " recomputed at every alpha: train-full (default) or train-eval")
    String bnData = org.trajlab.api.run.LineRequest.DEFAULT_BATCH_NORM_VIEW;

    Line(TrajlabCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      try {
        var r = cli.runner.line(new org.trajlab.api.run.LineRequest(a, b, out, points, from, to, sets, bnData));
        cli.err.println("[trajlab] line of " + r.alphas().length + " points written to " + r.dir().toAbsolutePath());
        cli.out.println(r.dir().toAbsolutePath());
        return OK;
      } catch (SpecException e) {
        return cli.specError(e);
      } catch (RuntimeException e) {
        cli.err.println("[trajlab] the line could not be computed: " + e.getMessage());
        return FAILED;
      }
    }
  }
}
