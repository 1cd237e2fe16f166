package org.trajlab.probes.noise.internal;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Objective;

/**
 * Paper 004's estimate of the gradient covariance K from L gradients g_j of groups of M examples (INSTRUMENTS.md
 * section 5): G_ij = (1/L)⟨g_i − ḡ_L, g_j − ḡ_L⟩, centred from the raw Gram matrix {@link Objective#groupGram} (for
 * per-example gradients of a dense network, formed without any gradient), decomposed densely (L × L,
 * {@link NoiseMath#symmetricEigen}). The non-zero eigenvalues of G are those of the sample covariance
 * C = (1/L) Σ_j (g_j − ḡ)(g_j − ḡ)ᵀ of the group gradients, which estimates K/M; the eigenvector of C for
 * eigenvalue λ_i is e_i = Σ_j u_ij (g_j − ḡ) / sqrt(L·λ_i), u_i the unit eigenvector of G (C (D u) = D G u with D the P × L matrix of centred gradients over sqrt(L)), which
 * {@link #eigenvectors} forms in one more streaming pass of {@link Objective#groupGradients}.
 *
 * @param groups the groups of view positions (the gradients' order)
 * @param gram the centred Gram matrix G
 * @param values its eigenvalues, largest first
 * @param u its unit eigenvectors, u[i] for values[i]
 * @param m M, the examples per group
 */
public record GramEstimate(int[][] groups, double[][] gram, double[] values, double[][] u, int m) {

  /** L, the number of group gradients */
  public int l() {
    return groups.length;
  }

  /** the estimate at theta: the raw Gram matrix of the groups' gradients on the view, centred and decomposed */
  public static GramEstimate of(Objective d, DataView view, double[] theta, int[][] groups) {
    double[][] g = NoiseMath.centredGram(d.groupGram(view, theta, groups));
    double[][] vectors = new double[g.length][];
    double[] values = NoiseMath.symmetricEigen(g, vectors);
    return new GramEstimate(groups, g, values, vectors, groups[0].length);
  }

  /**
   * The unit eigenvectors of K for the top {@code count} eigenvalues of G (fewer when fewer are positive): e_i ∝
   * Σ_j u_ij (g_j − ḡ_L), summed over the group gradients streamed once more, then normalised. Their norm before
   * normalising is sqrt(L·λ_i) in exact arithmetic.
   */
  public double[][] eigenvectors(Objective d, DataView view, double[] theta, int count) {
    int c = 0;
    while (c < Math.min(count, values.length - 1) && values[c] > 0) c++;
    if (c == 0) return new double[0][];
    int p = d.numParams();
    int n = c;
    double[][] e = new double[n][p];
    double[] sum = new double[p];
    d.groupGradients(view, theta, groups, (j, g, loss) -> {
      for (int i = 0; i < n; i++) {
        double w = u[i][j];
        double[] ei = e[i];
        for (int q = 0; q < p; q++) ei[q] += w * g[q];
      }
      for (int q = 0; q < p; q++) sum[q] += g[q];
    });
    int l = l();
    for (int i = 0; i < n; i++) {
      double us = 0;
      for (double x : u[i]) us += x;
      double norm = 0;
      for (int q = 0; q < p; q++) {
        e[i][q] -= us * sum[q] / l;
        norm += e[i][q] * e[i][q];
      }
      norm = Math.sqrt(norm);
      for (int q = 0; q < p; q++) e[i][q] /= norm;
    }
    return e;
  }
}
