package org.trajlab.api.spec;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The network: a softmax classifier trained with mean cross-entropy. {@code type} picks the architecture; the other
 * fields apply to some types only (a field set for a type that does not use it is an error, so a spec never says
 * more than the model does):
 * <ul>
 * <li>{@code softmax}: linear softmax regression, no hidden layer (convex; the fixtures' model). Parameters: W
 * [features, classes] then b.</li>
 * <li>{@code mlp}: dense layers of widths {@code hidden} with {@code activation}; with {@code batchNorm} each hidden
 * dense layer (then without bias) is followed by batch normalisation before the activation. {@code preset} names a
 * paper's MLP and fills {@code hidden}, {@code batchNorm} and {@code activation} (the engine's model types list
 * the presets).</li>
 * <li>{@code simplecnn}: SimpleCNN of papers 001 (App. F) and 004 (App. D): conv3x3(32)-conv3x3(32)-maxpool2-
 * conv3x3(64)-conv3x3(64)-maxpool2-dense(128)-softmax, ReLU, 'same' padding; with {@code batchNorm} a batch
 * normalisation after every conv and the dense layer (004: "inserted after each layer"), before the ReLU. Input
 * from the data (28x28x1, 32x32x3, ...; at least 4x4).</li>
 * <li>{@code vgg11}: CIFAR VGG-11, conv3x3 64-M-128-M-256-256-M-512-512-M-512-512-M then one dense softmax layer
 * 512 to {@code classes}; {@code batchNorm} after every conv. Needs images of at least 32x32.</li>
 * <li>{@code resnet}: CIFAR ResNet of He et al. (2016) §4.2 with {@code depth} = 6n+2 (32, 56, ...): conv 16, three
 * stages of n basic blocks with 16/32/64 filters (stride 2 at the first block of stages 2 and 3), global average
 * pooling, dense softmax. Shortcuts are option A (identity; subsample and zero channels when the shape changes),
 * so no shortcut has parameters. {@code batchNorm} true (default): conv-BN-ReLU as in He et al.; false: convs with
 * bias and no BN, initialised scaled by depth (paper 001 footnote 7, after Taki 2017): the last conv of each
 * residual branch has its weights multiplied by 1/sqrt(L), L = 3n the number of residual blocks.</li>
 * <li>{@code lstm}: a text classifier over word-id sequences (the dataset {@code text} only): an embedding of
 * {@code embedding} dimensions, one LSTM layer of {@code hidden[0]} tanh units, its last time step into a dense softmax
 * layer.</li>
 * <li>{@code quadratic}: no network: the synthetic quadratic model of INSTRUMENTS.md §4, ℓ_x(θ) = ½(θ − x)ᵀA(θ − x)
 * with A and the samples x from {@code data.quadratic} (it pairs with {@code data.dataset} "quadratic" and only with
 * it). θ has {@code dim} entries; {@code init} "normal" draws θ_0 ~ N(0, I) from the seed, "zero" starts at 0.</li>
 * </ul>
 * Every model is seeded by the run's seed through {@code init}, and works in float and double. This class is plain
 * data: the engine owns the list of types and presets, checks them and fills the fields a type implies.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelSpec {
  /** softmax, mlp, simplecnn, vgg11, resnet, lstm or quadratic */
  public String type = "mlp";
  /** mlp only: a paper's MLP (fmnist-300-100, bn4, deep20, mnist256); it fills hidden, batchNorm and activation */
  public String preset;
  /** mlp: hidden layer widths (null: the preset's, else [300, 100]); lstm: [units] (null: [128]) */
  public List<Integer> hidden;
  /** mlp, simplecnn, vgg11: the hidden layers' activation (relu, tanh, sigmoid, identity) */
  public String activation = "relu";
  /** mlp, simplecnn, vgg11, resnet: batch normalisation (null: the preset's for mlp, true for resnet, else false) */
  public Boolean batchNorm;
  /** lstm only: dimensions of the word embedding (null: 64) */
  public Integer embedding;
  /** resnet only: 6n+2 layers, e.g. 20, 32, 44, 56, 110 (null: 32) */
  public Integer depth;
  /** number of classes of the output layer; null = the data's, and when set it must equal the data's */
  public Integer classes;
  /**
   * Initialisation of every weight, seeded by the run's seed: xavier N(0, 2/(fan_in+fan_out)), relu (He)
   * N(0, 2/fan_in), lecun_normal N(0, 1/fan_in), normal N(0, 1/fan_in), uniform U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
   * zero. Dense W [in, out]: fan_in = in, fan_out = out; conv W [out, in, kh, kw]: fan_in = in·kh·kw, fan_out =
   * out·kh·kw. Biases 0; batch normalisation gamma 1, beta 0, running mean 0 and variance 1.
   */
  public String init = "xavier";

  /** a deep copy (every field; the hidden list is copied) */
  public ModelSpec copy() {
    ModelSpec c = new ModelSpec();
    c.type = type;
    c.preset = preset;
    c.hidden = hidden == null ? null : new java.util.ArrayList<>(hidden);
    c.activation = activation;
    c.batchNorm = batchNorm;
    c.depth = depth;
    c.embedding = embedding;
    c.classes = classes;
    c.init = init;
    return c;
  }
}
