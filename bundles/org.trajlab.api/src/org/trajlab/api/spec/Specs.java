package org.trajlab.api.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reading, writing and checking run specs. Every problem becomes a one-sentence {@link SpecException}. The checks
 * here need no knowledge of an engine (names of fields, ranges, schedules); the engine checks the names it owns (model
 * types, data sets, optimisers) and resolves their defaults when it plans a run.
 */
public final class Specs {
  public static final Set<String> PRECISIONS = Set.of("float", "double");
  public static final Set<String> BATCH_NORM_MODES = Set.of("train", "inference");
  public static final Set<String> EVAL_SETS = Set.of("train-eval", "test", "train-full", "held-out");
  public static final Set<String> TRAIN_EVAL_SELECTIONS = Set.of("random", "first");
  /** how a subset of a given size is chosen: the first examples in file order, or a seeded random draw */
  public static final Set<String> SELECTIONS = Set.of("first", "random");

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private Specs() {}

  /** the shared, configured JSON mapper (also used for environments, statuses and summaries) */
  public static ObjectMapper json() {
    return MAPPER;
  }

  public static RunSpec read(Path file) throws SpecException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new SpecException(null, "The spec file " + file + " does not exist.");
    } catch (IOException e) {
      throw new SpecException(null, "The spec file " + file + " cannot be read (" + e.getMessage() + ").");
    }
    return parse(text);
  }

  public static RunSpec parse(String json) throws SpecException {
    RunSpec spec;
    try {
      spec = MAPPER.readValue(json, RunSpec.class);
    } catch (UnrecognizedPropertyException e) {
      String where = path(e, true);
      List<String> allowed = e.getKnownPropertyIds() == null ? List.of()
          : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
      throw new SpecException(join(where, e.getPropertyName()), "Unknown field '" + e.getPropertyName() + "'"
          + (where.isEmpty() ? "" : " in '" + where + "'") + "; allowed fields: " + String.join(", ", allowed) + ".");
    } catch (InvalidFormatException e) {
      String where = path(e, false);
      throw new SpecException(where, "Field '" + where + "' must be " + describe(e.getTargetType()) + ", not "
          + quote(e.getValue()) + ".");
    } catch (MismatchedInputException e) {
      String where = path(e, false);
      throw new SpecException(where, (where.isEmpty() ? "The spec" : "Field '" + where + "'") + " must be "
          + describe(e.getTargetType()) + offending(e) + ".");
    } catch (JsonMappingException e) {
      String where = path(e, false);
      throw new SpecException(where, "Field '" + where + "' is not valid: " + firstLine(e.getOriginalMessage()) + ".");
    } catch (JsonProcessingException e) {
      throw new SpecException(null, "The spec is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + "): " + firstLine(e.getOriginalMessage()) + ".");
    }
    if (spec == null) {
      throw new SpecException(null, "The spec is empty; it must be a JSON object.");
    }
    fillDefaults(spec);
    check(spec);
    return spec;
  }

  /**
   * A part of a spec written as JSON (a probe, a schedule), read as strictly as a whole spec; a problem is one
   * sentence naming {@code field}.
   */
  public static <T> T parsePart(String json, Class<T> type, String field) throws SpecException {
    T value;
    try {
      value = MAPPER.readValue(json, type);
    } catch (UnrecognizedPropertyException e) {
      List<String> allowed = e.getKnownPropertyIds() == null ? List.of()
          : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
      throw new SpecException(field, "Unknown field '" + e.getPropertyName() + "' in '" + field + "'; allowed fields: "
          + String.join(", ", allowed) + ".");
    } catch (JsonMappingException e) {
      String where = path(e, false);
      throw new SpecException(field, "Field '" + join(field, where) + "' is not valid: "
          + firstLine(e.getOriginalMessage()) + ".");
    } catch (JsonProcessingException e) {
      throw new SpecException(field, "Field '" + field + "' is not valid JSON (column " + e.getLocation().getColumnNr()
          + "): " + firstLine(e.getOriginalMessage()) + ".");
    }
    if (value == null) {
      throw new SpecException(field, "Field '" + field + "' is empty; it must be a JSON object.");
    }
    return value;
  }

  public static String toJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** writes any plain-data object as indented JSON (checkpoint states, environments) */
  public static void writeJson(Path file, Object value) throws IOException {
    Files.write(file, MAPPER.writeValueAsBytes(value));
  }

  public static <T> T readJson(Path file, Class<T> type) throws IOException {
    return MAPPER.readValue(file.toFile(), type);
  }

  /** a deep copy of any part of a spec through JSON */
  public static <T> T copyOf(T value, Class<T> type) {
    return MAPPER.convertValue(value, type);
  }

  /** a deep copy through JSON */
  public static RunSpec copy(RunSpec spec) {
    return MAPPER.convertValue(spec, RunSpec.class);
  }

  /**
   * The built-in default experiment: MLP 784-300-100-10 on Fashion-MNIST, SGD lr 0.1, batch 100, one epoch, the
   * walk probe on every update of the first 100 and every 10th after, evaluation every 100 updates.
   */
  public static RunSpec defaultExperiment() {
    try (InputStream in = Specs.class.getResourceAsStream("default-experiment.json")) {
      return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException | SpecException e) {
      throw new IllegalStateException("the built-in default experiment is broken", e);
    }
  }

  /** null sub-objects (written as "model": null) become defaults, so later code never sees null */
  static void fillDefaults(RunSpec s) {
    if (s.model == null) s.model = new ModelSpec();
    if (s.data == null) s.data = new DataSpec();
    if (s.optimizer == null) s.optimizer = new OptimizerSpec();
    if (s.training == null) s.training = new TrainingSpec();
    if (s.eval == null) s.eval = new EvalSpec();
    if (s.probes == null) s.probes = new ArrayList<>();
    if (s.checkpoints == null) s.checkpoints = new CheckpointSpec();
    if (s.start == null) s.start = new StartSpec();
    if (s.batchNorm == null) s.batchNorm = new BatchNormSpec();
    if (s.eval.sets == null) s.eval.sets = new ArrayList<>();
    for (ProbeSpec p : s.probes) {
      if (p != null && p.schedule == null) p.schedule = new ArrayList<>();
      if (p != null && p.params == null) p.params = new java.util.LinkedHashMap<>();
    }
  }

  /** checks that need no data: names, ranges, consistency */
  public static void check(RunSpec s) throws SpecException {
    require(s.name != null && !s.name.isBlank() && s.name.matches("[A-Za-z0-9._-]+"), "name",
        "Field 'name' must be a non-empty word of letters, digits, '.', '_' or '-'" + got(s.name));
    oneOf("precision", s.precision, PRECISIONS);
    checkData(s.data);
    require(Double.isFinite(s.optimizer.lr) && s.optimizer.lr > 0, "optimizer.lr",
        "Field 'optimizer.lr' (the learning rate) must be a positive number" + got(s.optimizer.lr));
    require(s.optimizer.momentum >= 0 && s.optimizer.momentum < 1, "optimizer.momentum",
        "Field 'optimizer.momentum' must be in [0, 1)" + got(s.optimizer.momentum));
    require(s.optimizer.weightDecay >= 0 && Double.isFinite(s.optimizer.weightDecay), "optimizer.weightDecay",
        "Field 'optimizer.weightDecay' must be zero or positive" + got(s.optimizer.weightDecay));
    require(s.optimizer.gdChunk > 0, "optimizer.gdChunk", "Field 'optimizer.gdChunk' must be a positive number of examples" + got(s.optimizer.gdChunk));
    require(s.optimizer.noiseFactor >= 0 && Double.isFinite(s.optimizer.noiseFactor), "optimizer.noiseFactor",
        "Field 'optimizer.noiseFactor' must be zero or positive" + got(s.optimizer.noiseFactor));
    require(s.optimizer.noiseBatches >= 2, "optimizer.noiseBatches", "Field 'optimizer.noiseBatches' must be at least 2" + got(s.optimizer.noiseBatches));
    require(s.checkpoints.every == null || s.checkpoints.every > 0, "checkpoints.every",
        "Field 'checkpoints.every' must be a positive number of updates" + got(s.checkpoints.every));
    require(s.training.batchSize > 0, "training.batchSize",
        "Field 'training.batchSize' must be a positive number of examples" + got(s.training.batchSize));
    require(s.training.steps == null || s.training.steps >= 0, "training.steps",
        "Field 'training.steps' must be zero or a positive number of updates" + got(s.training.steps));
    require(s.training.steps != null || (s.training.epochs != null && s.training.epochs >= 0), "training.epochs",
        "Field 'training.epochs' must be zero or a positive number of epochs" + got(s.training.epochs));
    require(s.training.logEvery > 0, "training.logEvery",
        "Field 'training.logEvery' must be a positive number of updates" + got(s.training.logEvery));
    require(s.eval.every > 0, "eval.every", "Field 'eval.every' must be a positive number of updates" + got(s.eval.every));
    for (String set : s.eval.sets) {
      oneOf("eval.sets", set, EVAL_SETS);
    }
    oneOf("batchNorm.mode", s.batchNorm.mode, BATCH_NORM_MODES);
    require(s.batchNorm.batchSize == null || s.batchNorm.batchSize > 0, "batchNorm.batchSize",
        "Field 'batchNorm.batchSize' (the probes' batch size in train mode) must be a positive number of examples" + got(s.batchNorm.batchSize));
    for (int i = 0; i < s.probes.size(); i++) {
      ProbeSpec p = s.probes.get(i);
      String f = "probes[" + i + "]";
      require(p != null && p.type != null && !p.type.isBlank(), f + ".type",
          "Field '" + f + ".type' must name a probe.");
      for (int j = 0; j < p.schedule.size(); j++) {
        require(p.schedule.get(j) != null, f + ".schedule", "Field '" + f + ".schedule' must not hold null rules.");
        checkSchedule(f + ".schedule" + (p.schedule.size() > 1 ? "[" + j + "]" : ""), p.schedule.get(j));
      }
    }
  }

  /**
   * The checks of {@code data} that need no files and no knowledge of the data sets: ranges, sizes, selections. The
   * engine's {@code Datasets} checks the data set's name, its own fields and everything against the files.
   */
  public static void checkData(DataSpec d) throws SpecException {
    checkRange("data.trainRange", d.trainRange);
    require(d.heldOutSize == null || d.heldOutSize >= 0, "data.heldOutSize",
        "Field 'data.heldOutSize' must be zero or a positive number of examples" + got(d.heldOutSize));
    require(d.trainSize == null || d.trainSize > 0, "data.trainSize",
        "Field 'data.trainSize' must be a positive number of examples" + got(d.trainSize));
    oneOf("data.trainSelection", d.trainSelection, SELECTIONS);
    checkRange("data.testRange", d.testRange);
    require(d.testSize == null || d.testSize > 0, "data.testSize",
        "Field 'data.testSize' must be a positive number of examples" + got(d.testSize));
    oneOf("data.testSelection", d.testSelection, SELECTIONS);
    require(d.labelNoise == null || (d.labelNoise >= 0 && d.labelNoise <= 1), "data.labelNoise",
        "Field 'data.labelNoise' (the fraction of training labels replaced by random labels) must be a number from"
            + " 0 to 1" + got(d.labelNoise));
    require(d.trainEvalSize > 0, "data.trainEvalSize",
        "Field 'data.trainEvalSize' must be a positive number of examples" + got(d.trainEvalSize));
    oneOf("data.trainEvalSelection", d.trainEvalSelection, TRAIN_EVAL_SELECTIONS);
  }

  static void checkRange(String f, DataSpec.Range r) throws SpecException {
    if (r == null) return;
    require(r.from >= 0, f + ".from", "Field '" + f + ".from' must be an example index of 0 or more" + got(r.from));
    require(r.to == null || r.to > r.from, f + ".to",
        "Field '" + f + ".to' must be an example index after 'from' (the range is [from, to))" + got(r.to));
  }

  static void checkSchedule(String f, ScheduleSpec sc) throws SpecException {
    require(sc.every == null || sc.every > 0, f + ".every", "Field '" + f + ".every' must be a positive number of updates" + got(sc.every));
    require(sc.from == null || sc.from >= 0, f + ".from", "Field '" + f + ".from' must be an update index of 0 or more" + got(sc.from));
    require(sc.to == null || sc.to >= (sc.from == null ? 0 : sc.from), f + ".to",
        "Field '" + f + ".to' must be an update index not before 'from'" + got(sc.to));
    if (sc.steps != null) {
      for (Long t : sc.steps) {
        require(t != null && t >= 0, f + ".steps", "Field '" + f + ".steps' must list update indices of 0 or more" + got(t));
      }
    }
    if (sc.epochs != null) {
      for (Integer e : sc.epochs) {
        require(e != null && e >= 1, f + ".epochs", "Field '" + f + ".epochs' must list epochs counted from 1" + got(e));
      }
    }
  }

  public static void oneOf(String field, String value, Collection<String> allowed) throws SpecException {
    if (value == null || !allowed.contains(value)) {
      throw new SpecException(field, "Field '" + field + "' must be one of " + allowed.stream().sorted()
          .collect(Collectors.joining(", ")) + got(value == null ? null : "'" + value + "'"));
    }
  }

  public static void require(boolean ok, String field, String sentenceWithoutStop) throws SpecException {
    if (!ok) {
      throw new SpecException(field, sentenceWithoutStop.endsWith(".") ? sentenceWithoutStop : sentenceWithoutStop + ".");
    }
  }

  private static String got(Object v) {
    return ", but it is " + v + ".";
  }

  private static String path(JsonMappingException e, boolean parentOnly) {
    List<JsonMappingException.Reference> refs = e.getPath();
    StringBuilder b = new StringBuilder();
    int n = parentOnly ? refs.size() - 1 : refs.size();
    for (int i = 0; i < n; i++) {
      JsonMappingException.Reference r = refs.get(i);
      if (r.getFieldName() != null) {
        if (b.length() > 0) b.append('.');
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : a + "." + b;
  }

  private static String describe(Class<?> t) {
    if (t == null) return "of another type";
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) return "a whole number";
    if (t == double.class || t == Double.class || t == float.class) return "a number";
    if (t == String.class) return "a string";
    if (t == boolean.class || t == Boolean.class) return "true or false";
    if (java.util.Collection.class.isAssignableFrom(t)) return "a list";
    if (java.util.Map.class.isAssignableFrom(t)) return "a JSON object";
    return "a JSON object";
  }

  /** ", not X" with the value the parser stopped at, when there is one */
  private static String offending(MismatchedInputException e) {
    if (e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p) {
      try {
        com.fasterxml.jackson.core.JsonToken t = p.currentToken();
        if (t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) return ", not \"" + p.getText() + "\"";
        if (t != null && t.isScalarValue()) return ", not " + p.getText();
        if (t == com.fasterxml.jackson.core.JsonToken.START_OBJECT) return ", not an object";
        if (t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) return ", not a list";
      } catch (IOException ex) {
        return "";
      }
    }
    return "";
  }

  private static String quote(Object v) {
    return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int i = s.indexOf('\n');
    String t = i < 0 ? s : s.substring(0, i);
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }
}
