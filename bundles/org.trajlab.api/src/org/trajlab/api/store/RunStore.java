package org.trajlab.api.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The runs under one root folder (the workspace's runs folder, or --runs-root of the headless application). */
public final class RunStore {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private final Path root;

  public RunStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** the default root: $TRAJLAB_RUNS, else ~/trajlab-runs */
  public static Path defaultRoot() {
    String env = System.getenv("TRAJLAB_RUNS");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), "trajlab-runs");
  }

  /** a new, empty run folder named after the time and the spec's name */
  public synchronized RunFolder newRun(String name) throws IOException {
    Files.createDirectories(root);
    String base = LocalDateTime.now().format(STAMP) + "-" + name;
    Path dir = root.resolve(base);
    for (int i = 2; Files.exists(dir); i++) {
      dir = root.resolve(base + "-" + i);
    }
    return RunFolder.create(dir);
  }

  /** every run folder under the root, newest first */
  public List<RunFolder> list() throws IOException {
    List<RunFolder> runs = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return runs;
    }
    try (Stream<Path> s = Files.list(root)) {
      s.filter(Files::isDirectory).sorted(Comparator.comparing(Path::getFileName).reversed())
          .map(RunFolder::open).filter(RunFolder::isRun).forEach(runs::add);
    }
    return runs;
  }
}
