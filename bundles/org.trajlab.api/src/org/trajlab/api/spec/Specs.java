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

/** Reading, writing and checking run specs. Every problem becomes a one-sentence {@link SpecException}. */
public final class Specs {
  public static final Set<String> PRECISIONS = Set.of("float", "double");
  public static final Set<String> MODELS = Set.of("softmax", "mlp", "simplecnn", "vgg11", "resnet", "lstm", "quadratic");
  /** model types with hidden layers whose activation can be chosen */
  public static final Set<String> MODELS_WITH_ACTIVATION = Set.of("mlp", "simplecnn", "vgg11");
  /** model types that can have batch normalisation */
  public static final Set<String> MODELS_WITH_BATCH_NORM = Set.of("mlp", "simplecnn", "vgg11", "resnet");
  public static final Set<String> DATASETS = Set.of("fashion-mnist", "mnist", "cifar10", "cifar100", "text", "quadratic");
  public static final Set<String> OPTIMIZERS = Set.of("sgd", "momentum", "gd", "gd-noise");
  public static final Set<String> ACTIVATIONS = Set.of("relu", "tanh", "sigmoid", "identity");
  public static final Set<String> INITS = Set.of("xavier", "relu", "normal", "uniform", "lecun_normal", "zero");
  public static final Set<String> BATCH_NORM_MODES = Set.of("train", "inference");
  public static final Set<String> EVAL_SETS = Set.of("train-eval", "test", "train-full", "held-out");
  public static final Set<String> TRAIN_EVAL_SELECTIONS = Set.of("random", "first");
  /** how a subset of a given size is chosen: the first examples in file order, or a seeded random draw */
  public static final Set<String> SELECTIONS = Set.of("first", "random");
  public static final Set<String> CIFAR100_LABELS = Set.of("fine", "coarse");

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
    resolveModel(s.model);
    if (s.eval.sets == null) s.eval.sets = new ArrayList<>();
    if ("quadratic".equals(s.data.dataset) && s.data.quadratic == null) s.data.quadratic = new DataSpec.Quadratic();
    if ("text".equals(s.data.dataset) && s.data.text == null) s.data.text = new DataSpec.Text();
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
    checkModel(s.model);
    checkData(s.data);
    oneOf("optimizer.type", s.optimizer.type, OPTIMIZERS);
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
    if (s.training.batchSchedule != null) {
      oneOf("training.batchSchedule.type", s.training.batchSchedule.type, Set.of("constant", "mirror"));
      require(!"mirror".equals(s.training.batchSchedule.type) || s.training.batchSchedule.of != null,
          "training.batchSchedule.of", "Field 'training.batchSchedule.of' must give the learning-rate schedule a mirror batch schedule follows");
    }
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
   * The checks of {@code data} that need no files: names, ranges, and fields that only apply to another dataset.
   * Sizes against the files are checked by the engine's {@code Datasets.check}.
   */
  public static void checkData(DataSpec d) throws SpecException {
    oneOf("data.dataset", d.dataset, DATASETS);
    require(d.cifar100Labels == null || "cifar100".equals(d.dataset), "data.cifar100Labels",
        "Field 'data.cifar100Labels' applies only to the dataset cifar100, but the dataset is '" + d.dataset + "'");
    if (d.cifar100Labels != null) oneOf("data.cifar100Labels", d.cifar100Labels, CIFAR100_LABELS);
    require(d.quadratic == null || "quadratic".equals(d.dataset), "data.quadratic",
        "Field 'data.quadratic' applies only to the dataset quadratic, but the dataset is '" + d.dataset + "'");
    if (d.quadratic != null) checkQuadratic(d.quadratic);
    require(d.text == null || "text".equals(d.dataset), "data.text",
        "Field 'data.text' applies only to the dataset text, but the dataset is '" + d.dataset + "'");
    if (d.text != null) {
      require(d.text.vocab >= 3 && d.text.vocab <= 1_000_000, "data.text.vocab", "Field 'data.text.vocab' must be a"
          + " vocabulary size from 3 (padding, unknown and one word) to 1000000" + got(d.text.vocab));
      require(d.text.length >= 1 && d.text.length <= 10_000, "data.text.length",
          "Field 'data.text.length' must be a number of words from 1 to 10000" + got(d.text.length));
    }
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
    require(d.labelNoise == null || d.labelNoise == 0 || !"quadratic".equals(d.dataset), "data.labelNoise",
        "Field 'data.labelNoise' needs labels, but the dataset quadratic has none");
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

  static void checkQuadratic(DataSpec.Quadratic q) throws SpecException {
    String f = "data.quadratic.";
    require(q.dim > 0, f + "dim", "Field '" + f + "dim' must be a positive dimension" + got(q.dim));
    require(Double.isFinite(q.fast) && q.fast > 0, f + "fast",
        "Field '" + f + "fast' (the fast eigenvalue of A) must be a positive number" + got(q.fast));
    require(Double.isFinite(q.slow) && q.slow > 0, f + "slow",
        "Field '" + f + "slow' (the slow eigenvalue of A) must be a positive number" + got(q.slow));
    require(q.fastCount >= 0 && q.fastCount <= q.dim, f + "fastCount",
        "Field '" + f + "fastCount' must be a number of coordinates from 0 to dim (" + q.dim + ")" + got(q.fastCount));
    require(Double.isFinite(q.sigma) && q.sigma > 0, f + "sigma",
        "Field '" + f + "sigma' (the standard deviation of x) must be a positive number" + got(q.sigma));
    require(q.samples > 0, f + "samples",
        "Field '" + f + "samples' must be a positive number of training samples" + got(q.samples));
    require(q.testSamples > 0, f + "testSamples",
        "Field '" + f + "testSamples' must be a positive number of test samples" + got(q.testSamples));
  }

  /**
   * Fills the model fields a type implies: an mlp's hidden widths and batch normalisation from its preset (else
   * [300, 100] without BN), a resnet's depth (32) and batch normalisation (on), the CNNs' batch normalisation (off).
   * The resolved spec then shows the architecture that runs. Fields a type does not use stay null (checked later).
   */
  public static void resolveModel(ModelSpec m) {
    if (m.type == null) return;
    switch (m.type) {
      case "mlp" -> {
        ModelSpec.Preset p = m.preset == null ? null : ModelSpec.PRESETS.get(m.preset);
        if (m.hidden == null) m.hidden = new ArrayList<>(p != null ? p.hidden() : ModelSpec.DEFAULT_HIDDEN);
        if (m.batchNorm == null) m.batchNorm = p != null && p.batchNorm();
      }
      case "resnet" -> {
        if (m.depth == null) m.depth = ModelSpec.DEFAULT_RESNET_DEPTH;
        if (m.batchNorm == null) m.batchNorm = true;
      }
      case "simplecnn", "vgg11" -> {
        if (m.batchNorm == null) m.batchNorm = false;
      }
      case "lstm" -> {
        if (m.hidden == null) m.hidden = new ArrayList<>(ModelSpec.DEFAULT_LSTM_UNITS);
        if (m.embedding == null) m.embedding = ModelSpec.DEFAULT_EMBEDDING;
      }
      default -> {
        // softmax: no architecture fields
      }
    }
  }

  /**
   * The checks of {@code model} that need no data: names, ranges, a preset's consistency, and fields the type does
   * not use. The engine checks the rest against the data (classes, image size; {@code ModelZoo.check}).
   */
  public static void checkModel(ModelSpec m) throws SpecException {
    oneOf("model.type", m.type, MODELS);
    oneOf("model.init", m.init, INITS);
    oneOf("model.activation", m.activation, ACTIVATIONS);
    require(MODELS_WITH_ACTIVATION.contains(m.type) || "relu".equals(m.activation), "model.activation",
        "Field 'model.activation' applies only to the model types " + sorted(MODELS_WITH_ACTIVATION) + " (" + m.type
            + " has " + ("softmax".equals(m.type) ? "no hidden layer" : "quadratic".equals(m.type) ? "no units"
            : "lstm".equals(m.type) ? "LSTM units" : "ReLU units")
        + "), but it is '" + m.activation + "'");
    require(!"quadratic".equals(m.type) || Set.of("normal", "zero").contains(m.init), "model.init", "Field 'model.init'"
        + " of the quadratic model must be 'normal' (theta_0 ~ N(0, I), seeded) or 'zero', but it is '" + m.init + "'");
    onlyFor("model.preset", m.preset != null, m.type, Set.of("mlp"));
    onlyFor("model.hidden", m.hidden != null, m.type, Set.of("mlp", "lstm"));
    onlyFor("model.embedding", m.embedding != null, m.type, Set.of("lstm"));
    require(!"lstm".equals(m.type) || m.hidden == null || m.hidden.size() == 1, "model.hidden", "Field 'model.hidden'"
        + " of an lstm must list one width (its LSTM units), but it lists " + m.hidden);
    require(m.embedding == null || m.embedding > 0, "model.embedding",
        "Field 'model.embedding' must be a positive number of dimensions" + got(m.embedding));
    onlyFor("model.batchNorm", m.batchNorm != null, m.type, MODELS_WITH_BATCH_NORM);
    onlyFor("model.depth", m.depth != null, m.type, Set.of("resnet"));
    if (m.preset != null) {
      oneOf("model.preset", m.preset, ModelSpec.PRESETS.keySet());
      ModelSpec.Preset p = ModelSpec.PRESETS.get(m.preset);
      require(m.hidden == null || p.hidden().equals(m.hidden), "model.hidden", "Field 'model.hidden' must be left out or be the preset's "
          + p.hidden() + ", because model.preset is '" + m.preset + "', but it is " + m.hidden);
      require(m.batchNorm == null || m.batchNorm == p.batchNorm(), "model.batchNorm", "Field 'model.batchNorm' must be left out or be "
          + p.batchNorm() + ", because model.preset is '" + m.preset + "', but it is " + m.batchNorm);
      require(p.activation().equals(m.activation), "model.activation", "Field 'model.activation' must be left out or be '"
          + p.activation() + "', because model.preset is '" + m.preset + "', but it is '" + m.activation + "'");
    }
    if (m.hidden != null) {
      for (int i = 0; i < m.hidden.size(); i++) {
        Integer h = m.hidden.get(i);
        require(h != null && h > 0, "model.hidden", "Field 'model.hidden' must list positive layer widths, but entry "
            + i + " is " + h + ".");
      }
    }
    if (m.depth != null) {
      require(m.depth >= 8 && (m.depth - 2) % 6 == 0, "model.depth",
          "Field 'model.depth' must be 6n+2 with n >= 1 for a CIFAR ResNet (8, 20, 32, 44, 56, 110, ...)" + got(m.depth));
    }
    require(m.classes == null || m.classes >= 2, "model.classes",
        "Field 'model.classes' must be at least 2 (or left out to take the data's)" + got(m.classes));
  }

  /** a field the model type does not use is an error, so a spec never claims an architecture it does not run */
  static void onlyFor(String field, boolean set, String type, Set<String> types) throws SpecException {
    require(!set || types.contains(type), field, "Field '" + field + "' applies only to the model type"
        + (types.size() > 1 ? "s " : " ") + sorted(types) + ", but the type is '" + type + "'");
  }

  private static String sorted(Collection<String> names) {
    return names.stream().sorted().collect(Collectors.joining(", "));
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
