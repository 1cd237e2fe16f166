package org.trajlab.engine.models;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The exact Hessian-vector product (Pearlmutter's R-operator, 1994) of the mean cross-entropy of a plain dense stack:
 * dense layers with biases and relu, tanh, sigmoid or identity units, then a softmax output layer — softmax
 * regression and the MLPs without batch normalisation. One forward and one backward pass with their R-twins, about
 * the cost of two gradients, no step size and no error from ReLU kinks (the R-operator differentiates within the
 * linear region, as double backprop does).
 * <p>
 * With a_0 = x, z_l = a_{l−1}W_l + b_l, a_l = f(z_l), p = softmax(z_L), e_L = (p − y)/N, e_{l−1} = (e_l W_lᵀ) ⊙ f′(z_{l−1}),
 * g_{W_l} = a_{l−1}ᵀ e_l, g_{b_l} = Σ_rows e_l, the R-pass is
 * R(z_l) = R(a_{l−1})W_l + a_{l−1}R(W_l) + R(b_l), R(a_l) = f′(z_l) ⊙ R(z_l), R(p) = p ⊙ R(z_L) − p ⊙ (p·R(z_L)),
 * R(e_L) = R(p)/N, R(e_{l−1}) = (R(e_l)W_lᵀ + e_l R(W_l)ᵀ) ⊙ f′(z_{l−1}) + (e_l W_lᵀ) ⊙ f″(z_{l−1}) ⊙ R(z_{l−1}),
 * Hv = (R(g_W), R(g_b)) = (R(a_{l−1})ᵀe_l + a_{l−1}ᵀR(e_l), Σ_rows R(e_l)).
 * <p>
 * Layouts come from the network itself: v is written into a copy's parameters and read back through its
 * parameter views, and Hv is assembled the same way, so no layout is assumed here.
 */
public final class DenseHessian {
  private final StackNetwork net;
  private final StackNetwork vNet;
  private final StackNetwork outNet;
  private final List<String> acts;

  private DenseHessian(StackNetwork net, List<String> acts) {
    this.net = net;
    this.vNet = (StackNetwork) net.duplicate();
    this.outNet = (StackNetwork) net.duplicate();
    this.acts = acts;
  }

  /** the exact product for {@code n}, or null when its layers are not a plain dense stack in DOUBLE */
  public static DenseHessian of(Network n) {
    if (!(n instanceof StackNetwork s) || n.dataType() != DataType.DOUBLE || n.hasBatchNorm()) return null;
    MultiLayerNetwork m = (MultiLayerNetwork) s.model();
    Layer[] layers = m.getLayers();
    List<String> acts = new ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      var conf = layers[i].conf().getLayer();
      boolean last = i == layers.length - 1;
      if (last) {
        if (!(conf instanceof OutputLayer o) || !(o.getActivationFn() instanceof ActivationSoftmax)) return null;
        if (!o.hasBias()) return null;
      } else {
        if (!(conf instanceof DenseLayer d) || !d.hasBias()) return null;
        String a = name(d.getActivationFn());
        if (a == null) return null;
        acts.add(a);
      }
    }
    return new DenseHessian(s, acts);
  }

  /** the activation's name for {@link #activate}, or null when the R-operator does not know it */
  static String name(IActivation a) {
    if (a instanceof ActivationReLU) return "relu";
    if (a instanceof ActivationTanH) return "tanh";
    if (a instanceof ActivationSigmoid) return "sigmoid";
    if (a instanceof ActivationIdentity) return "identity";
    return null;
  }

  /**
   * Adds H_chunk v to {@code sum} (shaped like the parameters), where H_chunk is the Hessian of the chunk's summed
   * cross-entropy divided by {@code total} (the view's size), at the network's current parameters.
   *
   * @param v the direction, shaped like the parameters
   * @return the chunk's summed loss
   */
  public double addProduct(INDArray x, INDArray y, INDArray v, INDArray sum, int total) {
    // every temporary is closed at the end: left to the garbage collector, ~100 MB of off-heap arrays per product
    // pile up until JavaCPP forces System.gc() with pauses, which made products inside Lanczos ~50% slower
    List<INDArray> temps = new ArrayList<>();
    try {
      return product(x, y, v, sum, total, temps);
    } finally {
      for (INDArray t : temps) {
        if (t != null && !t.wasClosed() && t.closeable()) t.close();
      }
    }
  }

  private double product(INDArray x, INDArray y, INDArray v, INDArray sum, int total, List<INDArray> temps) {
    int layers = acts.size() + 1;
    vNet.params().assign(v.reshape(vNet.params().shape()));
    var pt = net.paramTable();
    var vt = vNet.paramTable();
    INDArray[] a = new INDArray[layers];
    INDArray[] ra = new INDArray[layers];
    INDArray[] z = new INDArray[layers];
    INDArray[] rz = new INDArray[layers];
    a[0] = net.inputShape().toInput(x);
    // R(x) = 0: ra[0] stays null, and the first layer's two products with it are not formed
    for (int l = 0; l < layers; l++) {
      INDArray w = pt.get(l + "_W");
      INDArray b = pt.get(l + "_b");
      INDArray rw = vt.get(l + "_W");
      INDArray rb = vt.get(l + "_b");
      z[l] = keep(temps, Gemm.nn(a[l], w)).addiRowVector(b.reshape(1, b.length()));
      rz[l] = keep(temps, Gemm.nn(a[l], rw));
      if (ra[l] != null) rz[l].addi(keep(temps, Gemm.nn(ra[l], w)));
      rz[l].addiRowVector(rb.reshape(1, rb.length()));
      if (l + 1 < layers) {
        String f = acts.get(l);
        a[l + 1] = keep(temps, activate(f, z[l]));
        ra[l + 1] = keep(temps, derivative(f, z[l], a[l + 1])).muli(rz[l]);
      }
    }
    // softmax and its R-twin
    INDArray zl = z[layers - 1];
    INDArray p = keep(temps, Transforms.softmax(zl, true));
    INDArray rp = keep(temps, p.mul(rz[layers - 1]));
    INDArray pr = keep(temps, rp.sum(true, 1)); // per row: p · R(z)
    rp.subi(keep(temps, p.mulColumnVector(pr)));
    INDArray py = keep(temps, p.mul(y));
    double loss = -keep(temps, Transforms.log(keep(temps, py.sum(1)), false)).sumNumber().doubleValue();
    INDArray e = keep(temps, p.sub(y)).divi(total);
    INDArray re = rp.divi(total);
    for (int l = layers - 1; l >= 0; l--) {
      INDArray w = pt.get(l + "_W");
      INDArray rw = vt.get(l + "_W");
      INDArray outW = outNet.paramTable().get(l + "_W");
      INDArray outB = outNet.paramTable().get(l + "_b");
      INDArray gw = keep(temps, Gemm.tn(a[l], re));
      if (ra[l] != null) gw.addi(keep(temps, Gemm.tn(ra[l], e)));
      outW.assign(gw);
      outB.assign(keep(temps, re.sum(true, 0)).reshape(outB.shape()));
      if (l > 0) {
        String f = acts.get(l - 1);
        INDArray back = keep(temps, Gemm.nt(e, w));
        INDArray d1 = keep(temps, derivative(f, z[l - 1], a[l]));
        INDArray reNext = keep(temps, Gemm.nt(re, w)).addi(keep(temps, Gemm.nt(e, rw))).muli(d1);
        INDArray d2 = keep(temps, second(f, z[l - 1], a[l]));
        if (d2 != null) reNext.addi(keep(temps, back.mul(d2)).muli(rz[l - 1]));
        e = back.muli(d1);
        re = reNext;
      }
    }
    sum.addi(outNet.params().reshape(sum.shape()));
    return loss;
  }

  /**
   * The inner products ⟨g_i, g_j⟩ of the per-example gradients g_i = ∇ℓ_i (each example's own cross-entropy, not
   * divided by anything) of the batch, at the network's current parameters, without forming a gradient: a dense
   * layer's weight gradient of example i is the outer product a_iᵀδ_i of its input and its back-propagated error, so
   * ⟨g_i, g_j⟩ = Σ_l ((a_l,i · a_l,j) + 1)(δ_l,i · δ_l,j) (the 1 for the bias). One forward and one backward pass
   * and two N×N products per layer: the cost of P-sized per-example gradients is never paid.
   *
   * @return the N × N matrix, row-major
   */
  public double[][] exampleGram(INDArray x, INDArray y) {
    List<INDArray> temps = new ArrayList<>();
    try {
      int layers = acts.size() + 1;
      var pt = net.paramTable();
      INDArray[] a = new INDArray[layers];
      INDArray[] z = new INDArray[layers];
      a[0] = net.inputShape().toInput(x);
      for (int l = 0; l < layers; l++) {
        INDArray w = pt.get(l + "_W");
        INDArray b = pt.get(l + "_b");
        z[l] = keep(temps, Gemm.nn(a[l], w)).addiRowVector(b.reshape(1, b.length()));
        if (l + 1 < layers) a[l + 1] = keep(temps, activate(acts.get(l), z[l]));
      }
      INDArray delta = keep(temps, keep(temps, Transforms.softmax(z[layers - 1], true)).sub(y));
      INDArray gram = keep(temps, Nd4j.zeros(DataType.DOUBLE, x.size(0), x.size(0)));
      for (int l = layers - 1; l >= 0; l--) {
        INDArray aa = keep(temps, Gemm.nt(a[l], a[l])).addi(1);
        INDArray dd = keep(temps, Gemm.nt(delta, delta));
        gram.addi(aa.muli(dd));
        if (l > 0) {
          String f = acts.get(l - 1);
          INDArray back = keep(temps, Gemm.nt(delta, pt.get(l + "_W")));
          delta = back.muli(keep(temps, derivative(f, z[l - 1], a[l])));
        }
      }
      return gram.toDoubleMatrix();
    } finally {
      free(temps);
    }
  }

  /**
   * Each example's curvature along v at the network's current parameters: d²ℓ_i(θ + εv)/dε² at ε = 0 = vᵀH_i v,
   * exactly, by a forward pass that carries first and second directional derivatives (R and S):
   * R(z_l) = R(a_{l−1})W_l + a_{l−1}V_l + c_l, S(z_l) = S(a_{l−1})W_l + 2R(a_{l−1})V_l, R(a_l) = f′(z_l) ⊙ R(z_l),
   * S(a_l) = f′(z_l) ⊙ S(z_l) + f″(z_l) ⊙ R(z_l)², and ℓ_i″ = (p_i − y_i)·S(z_L,i) + R(z_L,i)ᵀ(diag p_i − p_i p_iᵀ)R(z_L,i).
   * Their mean over a set of examples is vᵀHv of the set's mean loss.
   *
   * @param v the direction, shaped like the parameters
   */
  public double[] exampleCurvature(INDArray x, INDArray y, INDArray v) {
    List<INDArray> temps = new ArrayList<>();
    try {
      int layers = acts.size() + 1;
      vNet.params().assign(v.reshape(vNet.params().shape()));
      var pt = net.paramTable();
      var vt = vNet.paramTable();
      INDArray a = net.inputShape().toInput(x);
      // R(x) = S(x) = 0: ra and sa are null at the first layer, whose products with them are not formed
      INDArray ra = null;
      INDArray sa = null;
      INDArray z = null;
      INDArray rz = null;
      INDArray sz = null;
      for (int l = 0; l < layers; l++) {
        INDArray w = pt.get(l + "_W");
        INDArray b = pt.get(l + "_b");
        INDArray rw = vt.get(l + "_W");
        INDArray rb = vt.get(l + "_b");
        z = keep(temps, Gemm.nn(a, w)).addiRowVector(b.reshape(1, b.length()));
        rz = keep(temps, Gemm.nn(a, rw));
        if (ra != null) rz.addi(keep(temps, Gemm.nn(ra, w)));
        rz.addiRowVector(rb.reshape(1, rb.length()));
        sz = ra == null ? keep(temps, Nd4j.zeros(DataType.DOUBLE, z.shape()))
            : keep(temps, Gemm.nn(sa, w)).addi(keep(temps, Gemm.nn(ra, rw)).muli(2));
        if (l + 1 < layers) {
          String f = acts.get(l);
          INDArray next = keep(temps, activate(f, z));
          INDArray d1 = keep(temps, derivative(f, z, next));
          INDArray nextSa = keep(temps, d1.mul(sz));
          INDArray d2 = keep(temps, second(f, z, next));
          if (d2 != null) nextSa.addi(keep(temps, rz.mul(rz)).muli(d2));
          ra = keep(temps, d1.mul(rz));
          sa = nextSa;
          a = next;
        }
      }
      INDArray p = keep(temps, Transforms.softmax(z, true));
      // (p − y)·S(z) + R(z)ᵀ diag(p) R(z) − (p·R(z))², row by row
      INDArray first = keep(temps, keep(temps, p.sub(y)).muli(sz)).sum(1);
      INDArray quad = keep(temps, keep(temps, rz.mul(rz)).muli(p)).sum(1);
      INDArray pr = keep(temps, keep(temps, p.mul(rz)).sum(1));
      keep(temps, first);
      keep(temps, quad);
      return first.addi(quad).subi(pr.muli(pr)).toDoubleVector();
    } finally {
      free(temps);
    }
  }

  private static void free(List<INDArray> temps) {
    for (INDArray t : temps) {
      if (t != null && !t.wasClosed() && t.closeable()) t.close();
    }
  }

  private static INDArray keep(List<INDArray> temps, INDArray a) {
    if (a != null) temps.add(a);
    return a;
  }

  static INDArray activate(String f, INDArray z) {
    return switch (f) {
      case "relu" -> Transforms.relu(z, true);
      case "tanh" -> Transforms.tanh(z, true);
      case "sigmoid" -> Transforms.sigmoid(z, true);
      default -> z.dup();
    };
  }

  /** f'(z) as a new array, from z and a = f(z) */
  static INDArray derivative(String f, INDArray z, INDArray a) {
    return switch (f) {
      case "relu" -> {
        INDArray positive = z.gt(0);
        INDArray d = positive.castTo(DataType.DOUBLE);
        positive.close();
        yield d;
      }
      case "tanh" -> a.mul(a).rsubi(1);
      case "sigmoid" -> a.mul(a.rsub(1));
      default -> Nd4j.onesLike(z);
    };
  }

  /** f''(z), or null where it is 0 (relu within its linear pieces, identity) */
  static INDArray second(String f, INDArray z, INDArray a) {
    return switch (f) {
      case "tanh" -> a.mul(a).rsubi(1).muli(a).muli(-2);
      case "sigmoid" -> a.mul(a.rsub(1)).muli(a.mul(-2).addi(1));
      default -> null;
    };
  }
}
