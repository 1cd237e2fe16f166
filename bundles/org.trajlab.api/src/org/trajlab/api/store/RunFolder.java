package org.trajlab.api.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;

import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;


/**
 * A run is a folder a person can read:
 * <ul>
 * <li>{@code spec.json} the resolved spec (defaults filled in): running it again repeats the run;</li>
 * <li>{@code environment.json} versions, backend, threads, data checksums;</li>
 * <li>{@code metrics.csv} the tidy table {@code step,epoch,probe,quantity,index,value}, appended as it goes;</li>
 * <li>{@code status.json} state and progress, replaced atomically;</li>
 * <li>{@code summary.json} written once at the end, atomically;</li>
 * <li>{@code run.log} what happened, including each probe's cost.</li>
 * </ul>
 * JSON files are written to a temporary name and renamed, so a crash never leaves half a file.
 */
public final class RunFolder {
  public static final String SPEC = "spec.json";
  public static final String ENVIRONMENT = "environment.json";
  public static final String METRICS = "metrics.csv";
  public static final String STATUS = "status.json";
  public static final String SUMMARY = "summary.json";
  public static final String LOG = "run.log";

  private final Path dir;

  private RunFolder(Path dir) {
    this.dir = dir;
  }

  /** an existing run folder, for reading */
  public static RunFolder open(Path dir) {
    return new RunFolder(dir);
  }

  /** makes {@code dir} (which must not already hold a run) ready for a new run */
  public static RunFolder create(Path dir) throws IOException {
    if (Files.exists(dir.resolve(SPEC)) || Files.exists(dir.resolve(METRICS))) {
      throw new IOException("The folder " + dir + " already holds a run; choose another --out folder.");
    }
    Files.createDirectories(dir);
    return new RunFolder(dir);
  }

  public Path dir() {
    return dir;
  }

  public String name() {
    return dir.getFileName().toString();
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  public boolean isRun() {
    return Files.isRegularFile(dir.resolve(SPEC));
  }

  public void writeSpec(RunSpec spec) throws IOException {
    writeJson(SPEC, spec);
  }

  public RunSpec readSpec() throws IOException, SpecException {
    return Specs.read(dir.resolve(SPEC));
  }

  public void writeEnvironment(Map<String, ?> env) throws IOException {
    writeJson(ENVIRONMENT, env);
  }

  public void writeSummary(Map<String, ?> summary) throws IOException {
    writeJson(SUMMARY, summary);
  }

  /** summary.json as a map (nested objects as maps), or null before the run has ended */
  @SuppressWarnings("unchecked")
  public Map<String, Object> readSummary() throws IOException {
    Path f = dir.resolve(SUMMARY);
    return Files.exists(f) ? Specs.json().readValue(f.toFile(), Map.class) : null;
  }

  public void writeStatus(RunStatus status) throws IOException {
    status.updated = Instant.now().toString();
    writeJson(STATUS, status);
  }

  /** the status as written; a RUNNING run whose process is gone reads as INTERRUPTED */
  public RunStatus readStatus() {
    Path f = dir.resolve(STATUS);
    RunStatus s;
    try {
      s = Files.exists(f) ? Specs.json().readValue(f.toFile(), RunStatus.class) : new RunStatus();
    } catch (IOException e) {
      s = new RunStatus();
      s.message = "status.json cannot be read: " + e.getMessage();
    }
    if (s.state == RunState.RUNNING && s.pid != null && s.pid != ProcessHandle.current().pid()
        && ProcessHandle.of(s.pid).map(p -> !p.isAlive()).orElse(true)) {
      s.state = RunState.INTERRUPTED;
    }
    return s;
  }

  /**
   * Cuts metrics.csv back to its first {@code bytes} bytes: a resumed run drops the rows written after the checkpoint
   * it continues from (the checkpoint records the length).
   */
  public void truncateMetrics(long bytes) throws IOException {
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(dir.resolve(METRICS).toFile(), "rw")) {
      f.setLength(bytes);
    }
  }

  public MetricsWriter openMetrics() throws IOException {
    return new MetricsWriter(dir.resolve(METRICS));
  }

  public MetricsReader metricsReader() {
    return new MetricsReader(dir.resolve(METRICS));
  }

  /** appends a line to run.log */
  public synchronized void log(String line) {
    try {
      Files.writeString(dir.resolve(LOG), Instant.now() + " " + line + "\n", java.nio.charset.StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the log is a convenience; a full disk shows up in the metrics writer
    }
  }

  /**
   * Writes {@code name} through a temporary file and a rename. On failure (a full disk) the temporary file is removed,
   * which gives its space back, the file itself is left as it was, and a {@link RunWriteException} names it.
   */
  private void writeJson(String name, Object value) throws IOException {
    Path tmp = dir.resolve("." + name + ".tmp");
    try {
      Files.write(tmp, Specs.json().writeValueAsBytes(value));
      try {
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      throw e instanceof RunWriteException ? e : new RunWriteException(name, e);
    }
  }
}
