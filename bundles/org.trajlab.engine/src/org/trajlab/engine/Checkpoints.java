package org.trajlab.engine;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import org.trajlab.api.spec.DivergedCheckpointException;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunWriteException;
import org.trajlab.engine.optim.Npy;

/**
 * Checkpoint folders {@code checkpoints/step-NNNNNNNN/}: {@code params.npy}, {@code theta0.npy}, {@code velocity.npy}
 * (momentum), {@code prev_grad.npy} (g_{t-1}, for the walk's cosine), {@code state.json} (position in the data order,
 * schedule and probe state, the length of metrics.csv at the checkpoint, the run time so far). Written to a temporary
 * folder and renamed; a write that fails (a full disk) removes the temporary folder.
 * <p>
 * Reading trusts nothing: every file is checked against the state and the model, and whatever is wrong becomes one
 * sentence ({@link SpecException}); non-finite vectors (the run that wrote them had diverged) become a
 * {@link DivergedCheckpointException}.
 */
final class Checkpoints {
  static final String DIR = "checkpoints";
  static final String PARAMS = "params.npy";
  static final String THETA0 = "theta0.npy";
  static final String VELOCITY = "velocity.npy";
  static final String PREV_GRAD = "prev_grad.npy";
  static final String STATE = "state.json";

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
    /** the run's time so far in seconds, up to this checkpoint (absent in older checkpoints: 0) */
    public Double seconds;
    /** the update the run started at: 0, or its start checkpoint's (absent in older checkpoints: 0) */
    public Long firstStep;
  }

  /** a checkpoint as read and checked; theta0, velocity and prevGrad may be null (not in the folder) */
  record Loaded(Path dir, State state, double[] params, double[] theta0, double[] velocity, double[] prevGrad) {
  }

  private Checkpoints() {}

  static Path write(RunFolder f, State s, double[] params, double[] theta0, double[] velocity, double[] prevGrad,
      boolean asFloat) throws IOException {
    Path root = f.file(DIR);
    String name = String.format("step-%08d", s.step);
    Path tmp = root.resolve("." + name + ".tmp");
    try {
      Files.createDirectories(root);
      if (Files.exists(tmp)) deleteTree(tmp);
      Files.createDirectories(tmp);
      Npy.write(tmp.resolve(PARAMS), params, asFloat);
      Npy.write(tmp.resolve(THETA0), theta0, asFloat);
      if (velocity != null) Npy.write(tmp.resolve(VELOCITY), velocity, asFloat);
      if (prevGrad != null) Npy.write(tmp.resolve(PREV_GRAD), prevGrad, asFloat);
      Specs.writeJson(tmp.resolve(STATE), s);
      Path target = root.resolve(name);
      if (Files.exists(target)) deleteTree(target);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      try {
        if (Files.exists(tmp)) deleteTree(tmp); // gives a full disk its space back
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      throw new RunWriteException(DIR + "/" + name, e);
    }
  }

  /**
   * Reads and checks the checkpoint in {@code dir}; {@code field} is the spec field or command that named it.
   * Every problem is one sentence: a missing or damaged file, a vector of the wrong length, non-finite values.
   */
  static Loaded read(Path dir, String field) throws SpecException {
    Path st = dir.resolve(STATE);
    if (!Files.isDirectory(dir)) {
      throw new SpecException(field, "The checkpoint folder " + dir + " does not exist (" + field + ").");
    }
    if (!Files.isRegularFile(st) || !Files.isRegularFile(dir.resolve(PARAMS))) {
      throw new SpecException(field, "The folder " + dir + " is not a trajlab checkpoint (it needs state.json and params.npy).");
    }
    State s = state(dir, field);
    int n = s.numParams;
    double[] p = vector(dir, PARAMS, field);
    if (p.length != n) {
      throw damaged(dir, field, "params.npy holds " + p.length + " values, but state.json says the model has " + n + " parameters");
    }
    double[] th0 = optionalVector(dir, THETA0, n, field);
    double[] v = optionalVector(dir, VELOCITY, n, field);
    double[] g = optionalVector(dir, PREV_GRAD, n, field);
    String nonFinite = nonFinite(p);
    if (nonFinite != null) {
      throw new DivergedCheckpointException(field, "The checkpoint " + dir + " holds non-finite parameters (" + nonFinite
          + "): the run that wrote it had diverged; start from an earlier checkpoint.");
    }
    for (var e : new Object[][] { { VELOCITY, v }, { PREV_GRAD, g }, { THETA0, th0 } }) {
      String bad = nonFinite((double[]) e[1]);
      if (bad != null) {
        throw new DivergedCheckpointException(field, "The checkpoint " + dir + " holds non-finite values in " + e[0]
            + " (" + bad + "): the run that wrote it had diverged; start from an earlier checkpoint.");
      }
    }
    return new Loaded(dir, s, p, th0, v, g);
  }

  private static State state(Path dir, String field) throws SpecException {
    State s;
    try {
      s = Specs.readJson(dir.resolve(STATE), State.class);
    } catch (JsonEOFException e) {
      throw damaged(dir, field, "state.json is cut short (its JSON ends too early)");
    } catch (JsonParseException e) {
      throw damaged(dir, field, "state.json is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")");
    } catch (UnrecognizedPropertyException e) {
      throw damaged(dir, field, "state.json has a field trajlab does not know ('" + e.getPropertyName() + "')");
    } catch (MismatchedInputException e) {
      if (e.getPath().isEmpty()) throw damaged(dir, field, "state.json is empty or not a JSON object");
      throw damaged(dir, field, "state.json's field '" + e.getPath().get(0).getFieldName() + "' has the wrong type");
    } catch (JsonProcessingException e) {
      throw damaged(dir, field, "state.json cannot be read (" + firstLine(e.getOriginalMessage()) + ")");
    } catch (IOException e) {
      throw new SpecException(field, "The checkpoint " + dir + " cannot be read: state.json (" + reason(e) + ").");
    }
    if (s == null) throw damaged(dir, field, "state.json is empty or not a JSON object");
    String wrong = s.model == null ? "has no model"
        : s.precision == null ? "has no precision"
        : s.numParams <= 0 ? "says the model has " + s.numParams + " parameters"
        : s.step < 0 ? "says the checkpoint is at update " + s.step
        : s.epoch < 1 ? "says the checkpoint is in epoch " + s.epoch
        : s.pos < 0 || s.examplesSeen < 0 ? "has a negative position in the data order"
        : s.metricsBytes < 0 ? "says metrics.csv held " + s.metricsBytes + " bytes"
        : s.seconds != null && !(s.seconds >= 0) ? "says the run had taken " + s.seconds + " seconds"
        : null;
    if (wrong != null) throw damaged(dir, field, "state.json " + wrong);
    return s;
  }

  private static double[] vector(Path dir, String name, String field) throws SpecException {
    try {
      return Npy.read(dir.resolve(name));
    } catch (Npy.DamagedFileException e) {
      throw damaged(dir, field, e.getMessage());
    } catch (IOException e) {
      throw new SpecException(field, "The checkpoint " + dir + " cannot be read: " + name + " (" + reason(e) + ").");
    }
  }

  /** a vector the checkpoint may lack (null then), of the model's length when present */
  private static double[] optionalVector(Path dir, String name, int n, String field) throws SpecException {
    if (!Files.exists(dir.resolve(name))) return null;
    double[] v = vector(dir, name, field);
    if (v.length != n) {
      throw damaged(dir, field, name + " holds " + v.length + " values, but the model has " + n + " parameters");
    }
    return v;
  }

  static SpecException damaged(Path dir, String field, String what) {
    return new SpecException(field, "The checkpoint " + dir + " is damaged: " + what + ".");
  }

  /** "7850 NaN", "3 NaN, 2 infinite", or null when every value is finite (or there is no vector) */
  private static String nonFinite(double[] v) {
    if (v == null) return null;
    long nan = 0;
    long inf = 0;
    for (double x : v) {
      if (Double.isNaN(x)) nan++;
      else if (Double.isInfinite(x)) inf++;
    }
    if (nan + inf == 0) return null;
    return nan == 0 ? inf + " infinite" : inf == 0 ? nan + " NaN" : nan + " NaN, " + inf + " infinite";
  }

  private static String reason(IOException e) {
    if (e instanceof FileSystemException fs && fs.getReason() != null) return fs.getReason();
    if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
    if (e instanceof java.nio.file.NoSuchFileException) return "it does not exist";
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
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
