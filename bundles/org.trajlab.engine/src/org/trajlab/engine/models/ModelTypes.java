package org.trajlab.engine.models;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.trajlab.api.spec.ModelSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;

/**
 * The model types the zoo builds, what each spec field means for them, the papers' presets, and the checks of a
 * {@link ModelSpec} that need no data. The one place a new model type is named (with its builder in
 * {@link ModelZoo}); the API's {@code ModelSpec} is plain data.
 */
public final class ModelTypes {
  public static final Set<String> TYPES = Set.of("softmax", "mlp", "simplecnn", "vgg11", "resnet", "lstm", "quadratic");
  /** model types with hidden layers whose activation can be chosen */
  public static final Set<String> WITH_ACTIVATION = Set.of("mlp", "simplecnn", "vgg11");
  /** model types that can have batch normalisation */
  public static final Set<String> WITH_BATCH_NORM = Set.of("mlp", "simplecnn", "vgg11", "resnet");
  public static final Set<String> ACTIVATIONS = Set.of("relu", "tanh", "sigmoid", "identity");
  public static final Set<String> INITS = Set.of("xavier", "relu", "normal", "uniform", "lecun_normal", "zero");

  /** the widths, batch normalisation and activation a preset fills in */
  public record Preset(List<Integer> hidden, boolean batchNorm, String activation, String source) {}

  /**
   * The papers' MLPs. Paper 002 gives no widths for its 4-layer batch-normalised MLP and its 20-layer MLP; trajlab
   * reads "n-layer" as n hidden layers and uses the width 256 of 002's MNIST MLP for them. 002's MNIST MLP is "similar
   * to the one used by Arpit et al. (2017), but with 256 hidden units": read as one hidden layer of 256.
   */
  public static final Map<String, Preset> PRESETS = Map.of(
      "fmnist-300-100", new Preset(List.of(300, 100), false, "relu", "paper 004 App. D: MLP 784-300-100-10 on Fashion-MNIST"),
      "bn4", new Preset(List.of(256, 256, 256, 256), true, "relu", "paper 002 §4.1: 4-layer batch-normalised ReLU MLP"),
      "deep20", new Preset(java.util.Collections.nCopies(20, 256), false, "relu", "paper 002 App. F.1: 20-layer ReLU MLP without BN"),
      "mnist256", new Preset(List.of(256), false, "relu", "paper 002 §4.3: MNIST MLP with 256 hidden units"));

  /** the default widths of an mlp without preset */
  public static final List<Integer> DEFAULT_HIDDEN = List.of(300, 100);
  /** the default depth of a resnet */
  public static final int DEFAULT_RESNET_DEPTH = 32;
  public static final List<Integer> DEFAULT_LSTM_UNITS = List.of(128);
  public static final int DEFAULT_EMBEDDING = 64;

  private ModelTypes() {}

  /**
   * Fills, in place, the model fields a type implies: an mlp's hidden widths and batch normalisation from its preset
   * (else [300, 100] without BN), a resnet's depth (32) and batch normalisation (on), the CNNs' batch normalisation
   * (off), an lstm's units and embedding. The resolved spec then shows the architecture that runs. Fields a type does
   * not use stay null (and {@link #check} refuses them when set). Idempotent.
   */
  public static void resolve(ModelSpec m) {
    if (m.type == null) return;
    switch (m.type) {
      case "mlp" -> {
        Preset p = m.preset == null ? null : PRESETS.get(m.preset);
        if (m.hidden == null) m.hidden = new ArrayList<>(p != null ? p.hidden() : DEFAULT_HIDDEN);
        if (m.batchNorm == null) m.batchNorm = p != null && p.batchNorm();
      }
      case "resnet" -> {
        if (m.depth == null) m.depth = DEFAULT_RESNET_DEPTH;
        if (m.batchNorm == null) m.batchNorm = true;
      }
      case "simplecnn", "vgg11" -> {
        if (m.batchNorm == null) m.batchNorm = false;
      }
      case "lstm" -> {
        if (m.hidden == null) m.hidden = new ArrayList<>(DEFAULT_LSTM_UNITS);
        if (m.embedding == null) m.embedding = DEFAULT_EMBEDDING;
      }
      default -> {
        // softmax and quadratic: no architecture fields
      }
    }
  }

  /**
   * The checks of {@code model} that need no data: names, ranges, a preset's consistency, and fields the type does
   * not use. {@link ModelZoo#check} adds those against the data (classes, image size).
   */
  public static void check(ModelSpec m) throws SpecException {
    Specs.oneOf("model.type", m.type, TYPES);
    Specs.oneOf("model.init", m.init, INITS);
    Specs.oneOf("model.activation", m.activation, ACTIVATIONS);
    Specs.require(WITH_ACTIVATION.contains(m.type) || "relu".equals(m.activation), "model.activation",
        "Field 'model.activation' applies only to the model types " + sorted(WITH_ACTIVATION) + " (" + m.type
            + " has " + ("softmax".equals(m.type) ? "no hidden layer" : "quadratic".equals(m.type) ? "no units"
            : "lstm".equals(m.type) ? "LSTM units" : "ReLU units")
        + "), but it is '" + m.activation + "'");
    Specs.require(!"quadratic".equals(m.type) || Set.of("normal", "zero").contains(m.init), "model.init", "Field 'model.init'"
        + " of the quadratic model must be 'normal' (theta_0 ~ N(0, I), seeded) or 'zero', but it is '" + m.init + "'");
    onlyFor("model.preset", m.preset != null, m.type, Set.of("mlp"));
    onlyFor("model.hidden", m.hidden != null, m.type, Set.of("mlp", "lstm"));
    onlyFor("model.embedding", m.embedding != null, m.type, Set.of("lstm"));
    Specs.require(!"lstm".equals(m.type) || m.hidden == null || m.hidden.size() == 1, "model.hidden", "Field 'model.hidden'"
        + " of an lstm must list one width (its LSTM units), but it lists " + m.hidden);
    Specs.require(m.embedding == null || m.embedding > 0, "model.embedding",
        "Field 'model.embedding' must be a positive number of dimensions" + got(m.embedding));
    onlyFor("model.batchNorm", m.batchNorm != null, m.type, WITH_BATCH_NORM);
    onlyFor("model.depth", m.depth != null, m.type, Set.of("resnet"));
    if (m.preset != null) {
      Specs.oneOf("model.preset", m.preset, PRESETS.keySet());
      Preset p = PRESETS.get(m.preset);
      Specs.require(m.hidden == null || p.hidden().equals(m.hidden), "model.hidden", "Field 'model.hidden' must be left out or be the preset's "
          + p.hidden() + ", because model.preset is '" + m.preset + "', but it is " + m.hidden);
      Specs.require(m.batchNorm == null || m.batchNorm == p.batchNorm(), "model.batchNorm", "Field 'model.batchNorm' must be left out or be "
          + p.batchNorm() + ", because model.preset is '" + m.preset + "', but it is " + m.batchNorm);
      Specs.require(p.activation().equals(m.activation), "model.activation", "Field 'model.activation' must be left out or be '"
          + p.activation() + "', because model.preset is '" + m.preset + "', but it is '" + m.activation + "'");
    }
    if (m.hidden != null) {
      for (int i = 0; i < m.hidden.size(); i++) {
        Integer h = m.hidden.get(i);
        Specs.require(h != null && h > 0, "model.hidden", "Field 'model.hidden' must list positive layer widths, but entry "
            + i + " is " + h + ".");
      }
    }
    if (m.depth != null) {
      Specs.require(m.depth >= 8 && (m.depth - 2) % 6 == 0, "model.depth",
          "Field 'model.depth' must be 6n+2 with n >= 1 for a CIFAR ResNet (8, 20, 32, 44, 56, 110, ...)" + got(m.depth));
    }
    Specs.require(m.classes == null || m.classes >= 2, "model.classes",
        "Field 'model.classes' must be at least 2 (or left out to take the data's)" + got(m.classes));
  }

  /** a field the model type does not use is an error, so a spec never claims an architecture it does not run */
  private static void onlyFor(String field, boolean set, String type, Set<String> types) throws SpecException {
    Specs.require(!set || types.contains(type), field, "Field '" + field + "' applies only to the model type"
        + (types.size() > 1 ? "s " : " ") + sorted(types) + ", but the type is '" + type + "'");
  }

  static String sorted(Collection<String> names) {
    return names.stream().sorted().collect(Collectors.joining(", "));
  }

  private static String got(Object v) {
    return ", but it is " + v + ".";
  }
}
