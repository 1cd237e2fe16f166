package org.trajlab.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.engine.optim.Npy;

/**
 * Checkpoint folders {@code checkpoints/step-NNNNNNNN/}: {@code params.npy}, {@code velocity.npy} (momentum),
 * {@code prev_grad.npy} (g_{t-1}, for the walk's cosine), {@code state.json} (position in the data order, schedule
 * and probe state, the length of metrics.csv at the checkpoint). Written to a temporary folder and renamed.
 */
final class Checkpoints {
  static final String DIR = "checkpoints";

  /** what a checkpoint holds besides the vectors */
  static final class State {
    public long step;
    public int epoch;
    public int pos;
    public long examplesSeen;
    public Double noiseVariance;
    public double[] plateau;
    public long metricsBytes;
    public int numParams;
    public String model;
    public String precision;
    public long seed;
    public Map<String, Map<String, Object>> probes = new LinkedHashMap<>();
  }

  record Loaded(Path dir, State state, double[] params, double[] velocity, double[] prevGrad) {
  }

  private Checkpoints() {}

  static Path write(RunFolder f, State s, double[] params, double[] velocity, double[] prevGrad, boolean asFloat)
      throws IOException {
    Path root = f.file(DIR);
    Files.createDirectories(root);
    String name = String.format("step-%08d", s.step);
    Path tmp = root.resolve("." + name + ".tmp");
    if (Files.exists(tmp)) deleteTree(tmp);
    Files.createDirectories(tmp);
    Npy.write(tmp.resolve("params.npy"), params, asFloat);
    if (velocity != null) Npy.write(tmp.resolve("velocity.npy"), velocity, asFloat);
    if (prevGrad != null) Npy.write(tmp.resolve("prev_grad.npy"), prevGrad, asFloat);
    Specs.writeJson(tmp.resolve("state.json"), s);
    Path target = root.resolve(name);
    if (Files.exists(target)) deleteTree(target);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  static Loaded read(Path dir, String field) throws SpecException {
    Path st = dir.resolve("state.json");
    if (!Files.isDirectory(dir)) {
      throw new SpecException(field, "The checkpoint folder " + dir + " does not exist (" + field + ").");
    }
    if (!Files.isRegularFile(st) || !Files.isRegularFile(dir.resolve("params.npy"))) {
      throw new SpecException(field, "The folder " + dir + " is not a trajlab checkpoint (it needs state.json and params.npy).");
    }
    try {
      State s = Specs.readJson(st, State.class);
      double[] p = Npy.read(dir.resolve("params.npy"));
      double[] v = Files.exists(dir.resolve("velocity.npy")) ? Npy.read(dir.resolve("velocity.npy")) : null;
      double[] g = Files.exists(dir.resolve("prev_grad.npy")) ? Npy.read(dir.resolve("prev_grad.npy")) : null;
      if (p.length != s.numParams) {
        throw new SpecException(field, "The checkpoint " + dir + " is damaged: params.npy holds " + p.length
            + " values, state.json says " + s.numParams + ".");
      }
      return new Loaded(dir, s, p, v, g);
    } catch (IOException e) {
      throw new SpecException(field, "The checkpoint " + dir + " cannot be read (" + e.getMessage() + ").");
    }
  }

  /** the checkpoint with the most updates, or null */
  static Path latest(RunFolder f) throws IOException {
    Path root = f.file(DIR);
    if (!Files.isDirectory(root)) return null;
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.getFileName().toString().startsWith("step-") && Files.isDirectory(p))
          .max(java.util.Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
    }
  }

  static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }
}
