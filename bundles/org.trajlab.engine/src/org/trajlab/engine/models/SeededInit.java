package org.trajlab.engine.models;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * θ_0 drawn by trajlab, not by DL4J: M2.1's {@code init()} gives different weights on every call for the same
 * configuration seed, and a run must be repeatable bit for bit. Every parameter of every layer is written here
 * (a layer with a parameter this class does not know is an error, so nothing of DL4J's unseeded draw survives):
 * <ul>
 * <li>dense and output W [in, out]: fan_in = in, fan_out = out;</li>
 * <li>convolution W [out, in, kh, kw]: fan_in = in·kh·kw, fan_out = out·kh·kw (PyTorch's convention; DL4J divides
 * fan_out by the stride);</li>
 * <li>weights from the scheme: xavier N(0, 2/(fan_in+fan_out)), relu (He) N(0, 2/fan_in), lecun_normal and normal
 * N(0, 1/fan_in), uniform U(-1/sqrt(fan_in), 1/sqrt(fan_in)), zero;</li>
 * <li>LSTM: input weights [in, 4·units] as dense, recurrent weights [units, 4·units] with fan_in = units; word
 * embeddings [vocab, dims] as a dense W;</li>
 * <li>biases 0; batch normalisation gamma 1, beta 0, running mean 0, running variance 1.</li>
 * </ul>
 * Layer i draws from its own stream {@code SplittableRandom(seed·1000003 + i)}, its weight values in row-major order
 * of the weight's shape, so a layer's values do not depend on the other layers' sizes (and an MLP gets exactly the
 * values of the walking skeleton's initialisation).
 */
public final class SeededInit {
  /** the schemes, as {@code model.init} names them */
  public static final Set<String> SCHEMES = Set.of("xavier", "relu", "lecun_normal", "normal", "uniform", "zero");

  private SeededInit() {}

  /**
   * Initialises every parameter of {@code layers} (a network's layers in DL4J's order). {@code weightScale} maps
   * a layer name to a factor for its weights (the depth-scaled branch ends of a ResNet without BN); others get 1.
   */
  public static void apply(Layer[] layers, String scheme, long seed, Map<String, Double> weightScale) {
    if (!SCHEMES.contains(scheme)) throw new IllegalArgumentException("unknown initialisation scheme " + scheme);
    for (int i = 0; i < layers.length; i++) {
      Layer l = layers[i];
      org.deeplearning4j.nn.conf.layers.Layer conf = l.conf().getLayer();
      double scale = weightScale.getOrDefault(conf.getLayerName(), 1.0);
      SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
      for (Map.Entry<String, INDArray> p : l.paramTable().entrySet()) {
        INDArray v = p.getValue();
        v.assign(initial(conf, p.getKey(), v.shape(), scheme, r, scale).castTo(v.dataType()));
      }
    }
  }

  /** the initial value of parameter {@code key} of a layer, drawn from {@code r} where it is random */
  static INDArray initial(org.deeplearning4j.nn.conf.layers.Layer conf, String key, long[] shape, String scheme,
      SplittableRandom r, double scale) {
    if (conf instanceof BatchNormalization) {
      return switch (key) {
        case BatchNormalizationParamInitializer.GAMMA, BatchNormalizationParamInitializer.GLOBAL_VAR -> Nd4j.ones(DataType.DOUBLE, shape);
        case BatchNormalizationParamInitializer.BETA, BatchNormalizationParamInitializer.GLOBAL_MEAN,
            BatchNormalizationParamInitializer.GLOBAL_LOG_STD -> Nd4j.zeros(DataType.DOUBLE, shape);
        default -> throw unknown(conf, key);
      };
    }
    if (conf instanceof org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer && "RW".equals(key)) {
      // LSTM recurrent weights [units, 4·units]: fan_in = units, fan_out = 4·units
      return weights(shape, scheme, r, shape[0], shape[1], scale);
    }
    if (conf instanceof FeedForwardLayer) {
      if ("b".equals(key)) return Nd4j.zeros(DataType.DOUBLE, shape);
      if (!"W".equals(key)) throw unknown(conf, key);
      long[] fans = conf instanceof ConvolutionLayer ? convFans(shape) : denseFans(shape);
      return weights(shape, scheme, r, fans[0], fans[1], scale);
    }
    throw unknown(conf, key);
  }

  /** dense W [in, out] */
  static long[] denseFans(long[] shape) {
    return new long[] { shape[0], shape[1] };
  }

  /** convolution W [out, in, kh, kw] */
  static long[] convFans(long[] shape) {
    long field = shape[2] * shape[3];
    return new long[] { shape[1] * field, shape[0] * field };
  }

  /** weights of {@code shape} drawn in row-major order, times {@code scale} */
  static INDArray weights(long[] shape, String scheme, SplittableRandom r, long fanIn, long fanOut, double scale) {
    long n = 1;
    for (long d : shape) n *= d;
    double[] v = new double[Math.toIntExact(n)];
    for (int j = 0; j < v.length; j++) {
      v[j] = scale * draw(scheme, r, fanIn, fanOut);
    }
    return Nd4j.create(v, shape, 'c');
  }

  /** one weight of the scheme for a layer with these fans */
  public static double draw(String scheme, SplittableRandom r, long fanIn, long fanOut) {
    return switch (scheme) {
      case "relu" -> r.nextGaussian() * Math.sqrt(2.0 / fanIn);
      case "lecun_normal" -> r.nextGaussian() * Math.sqrt(1.0 / fanIn);
      case "normal" -> r.nextGaussian() / Math.sqrt(fanIn);
      case "uniform" -> (2 * r.nextDouble() - 1) / Math.sqrt(fanIn);
      case "zero" -> 0.0;
      case "xavier" -> r.nextGaussian() * Math.sqrt(2.0 / (fanIn + fanOut));
      default -> throw new IllegalArgumentException("unknown initialisation scheme " + scheme);
    };
  }

  private static IllegalStateException unknown(org.deeplearning4j.nn.conf.layers.Layer conf, String key) {
    return new IllegalStateException("no seeded initialisation for parameter '" + key + "' of "
        + conf.getClass().getSimpleName() + " " + conf.getLayerName());
  }
}
