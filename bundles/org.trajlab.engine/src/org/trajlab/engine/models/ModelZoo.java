package org.trajlab.engine.models;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;

/**
 * Builds the {@link Network} a {@code model} spec names, for data of a given image shape and number of classes,
 * initialised from the run's seed ({@link SeededInit}). The one entry point of the trainer and the objective:
 * <pre>
 * ModelZoo.check(spec.model, shape, classes);                  // for 'trajlab check': SpecException if it cannot run
 * Network net = ModelZoo.build(spec.model, dt, spec.seed, shape, classes);
 * Network own = net.copy();                                    // the objective's network: same structure, own params
 * </pre>
 * The architectures are documented on {@link ModelSpec}, the types and presets in {@link ModelTypes}; their layers in
 * {@link Stacks} and {@link ResNets}.
 */
public final class ModelZoo {
  /** the images a SimpleCNN needs at least: two 2x2 poolings */
  static final int SIMPLE_CNN_MIN = 4;
  /** VGG-11's five 2x2 poolings need 32x32 */
  static final int VGG_MIN = 32;
  /** a ResNet's two stride-2 stages on at least 4x4 leave at least 1x1 */
  static final int RESNET_MIN = 4;

  private ModelZoo() {}

  /** FLOAT or DOUBLE from a spec's {@code precision} */
  public static DataType dataType(String precision) {
    return "double".equals(precision) ? DataType.DOUBLE : DataType.FLOAT;
  }

  /**
   * Everything about {@code m} that can stop a run, checked against the data: the spec-level checks of
   * {@link ModelTypes#check}, the number of classes and the image size the architecture needs. One sentence each.
   *
   * @param data the data's example shape (channels x height x width; its layout is ignored)
   * @param numClasses the data's number of classes
   */
  public static void check(ModelSpec m, InputShape data, int numClasses) throws SpecException {
    ModelSpec r = resolved(m);
    ModelTypes.check(r);
    if ("quadratic".equals(r.type)) return; // no network: built by the trainer from the data's A (QuadraticNetwork)
    Specs.require(numClasses >= 2, "data", "A classifier needs data with at least 2 classes, but the data has "
        + numClasses + ".");
    Specs.require(r.classes == null || r.classes == numClasses, "model.classes", "Field 'model.classes' is "
        + r.classes + ", but the data has " + numClasses + " classes; leave it out or set it to " + numClasses + ".");
    switch (r.type) {
      case "simplecnn" -> needsImages(r.type, data, SIMPLE_CNN_MIN, "its two 2x2 poolings");
      case "vgg11" -> needsImages(r.type, data, VGG_MIN, "its five 2x2 poolings");
      case "resnet" -> needsImages(r.type, data, RESNET_MIN, "its two stride-2 stages");
      default -> {
        // dense models take any shape, flattened
      }
    }
  }

  private static void needsImages(String type, InputShape data, int min, String why) throws SpecException {
    Specs.require(data.height() >= min && data.width() >= min, "model.type", "The model type " + type
        + " needs images of at least " + min + "x" + min + " for " + why + ", but the data's images are "
        + data.height() + "x" + data.width() + ".");
  }

  /**
   * The network for {@code m} (checked first, see {@link #check}), every parameter drawn from {@code seed}: the same
   * arguments give bit-identical parameters.
   */
  public static Network build(ModelSpec m, DataType dt, long seed, InputShape data, int numClasses) throws SpecException {
    return build(m, dt, seed, data, numClasses, 0);
  }

  /**
   * As {@link #build(ModelSpec, DataType, long, InputShape, int)}; {@code vocab} is the number of word ids of a text
   * dataset (the lstm's embedding rows), ignored by the other models.
   */
  public static Network build(ModelSpec m, DataType dt, long seed, InputShape data, int numClasses, int vocab)
      throws SpecException {
    check(m, data, numClasses);
    ModelSpec r = resolved(m);
    Activation act = Layers.activation(r.activation);
    boolean bn = Boolean.TRUE.equals(r.batchNorm);
    int f = data.features();
    return switch (r.type) {
      case "softmax" -> stack(Stacks.softmax(dt, seed, f, numClasses), r.init, seed, data.as(InputShape.Layout.FLAT),
          numClasses, "softmax regression " + f + " -> " + numClasses);
      case "mlp" -> stack(Stacks.mlp(dt, seed, f, r.hidden, act, bn, numClasses), r.init, seed,
          data.as(InputShape.Layout.FLAT), numClasses, "mlp " + f + "-" + join(r.hidden) + "-" + numClasses + " "
              + r.activation + (bn ? " BN" : "") + (r.preset == null ? "" : " (" + r.preset + ")"));
      case "simplecnn" -> stack(Stacks.simpleCnn(dt, seed, data, act, bn, numClasses), r.init, seed,
          data.as(InputShape.Layout.IMAGE), numClasses, "simplecnn" + (bn ? "-bn " : " ") + data + " -> " + numClasses);
      case "vgg11" -> stack(Stacks.vgg11(dt, seed, data, act, bn, numClasses), r.init, seed,
          data.as(InputShape.Layout.IMAGE), numClasses, "vgg11" + (bn ? "-bn " : " ") + data + " -> " + numClasses);
      case "resnet" -> resnet(dt, seed, data.as(InputShape.Layout.IMAGE), r.depth, bn, r.init, numClasses);
      case "lstm" -> {
        Specs.require(vocab >= 3, "data.text.vocab", "The model type lstm needs the word ids of a text dataset"
            + " (data.dataset 'text').");
        yield stack(Stacks.lstm(dt, seed, vocab, f, r.embedding, r.hidden.get(0), numClasses), r.init, seed,
            data.as(InputShape.Layout.FLAT), numClasses, "lstm: embedding " + vocab + "x" + r.embedding + ", "
                + r.hidden.get(0) + " LSTM units, last step -> " + numClasses);
      }
      case "quadratic" -> throw new SpecException("model.type", "The quadratic model is built from its data (QuadraticNetwork), not by the zoo.");
      default -> throw new SpecException("model.type", "Field 'model.type' must be one of "
          + ModelTypes.sorted(ModelTypes.TYPES) + ", but it is '" + r.type + "'.");
    };
  }

  /** a copy of {@code m} with the fields its type implies filled in (the caller's spec is not changed) */
  static ModelSpec resolved(ModelSpec m) {
    ModelSpec r = m.copy();
    ModelTypes.resolve(r);
    return r;
  }

  private static Network stack(MultiLayerConfiguration conf, String scheme, long seed, InputShape in, int classes,
      String what) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    SeededInit.apply(net.getLayers(), scheme, seed, Map.of());
    return new StackNetwork(net, in, classes, what + ", " + size(net.numParams()) + " parameters, init " + scheme);
  }

  private static Network resnet(DataType dt, long seed, InputShape in, int depth, boolean bn, String scheme, int classes) {
    ResNets.Graph g = ResNets.cifar(dt, seed, in, depth, bn, classes);
    ComputationGraph graph = new ComputationGraph(g.conf());
    graph.init();
    Map<String, Double> scale = new HashMap<>();
    if (!bn) {
      for (String name : g.branchEnds()) scale.put(name, ResNets.branchEndScale(depth));
    }
    SeededInit.apply(graph.getLayers(), scheme, seed, scale);
    String what = "resnet-" + depth + (bn ? " BN " : " without BN (branch ends x 1/sqrt(" + g.blocks() + ")) ") + in
        + " -> " + classes + ", " + size(graph.numParams()) + " parameters, init " + scheme;
    return new GraphNetwork(graph, in, classes, what);
  }

  private static String join(List<Integer> widths) {
    return String.join("-", widths.stream().map(String::valueOf).toList());
  }

  private static String size(long n) {
    return String.format(java.util.Locale.ROOT, "%,d", n);
  }
}
