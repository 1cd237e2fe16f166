package org.trajlab.ui.curvature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.trajlab.api.store.MetricRow;

/**
 * The curvature rows of one run, by probe: the top-K Hessian eigenvalues with their residuals and convergence flags
 * per step, and the spectral density per step. The probes {@code curvature}, {@code subspace} and {@code nsgd}
 * write the same four quantities; any probe that writes them is kept apart under its own name. Not thread-safe
 * (the view fills it on the UI thread).
 */
public final class Spectrum {
  /** index = rank i (1..K), value = λ_i */
  public static final String EIG = "hessian_eig";
  /** index = rank i, value = ‖H e_i − λ_i e_i‖ */
  public static final String RESIDUAL = "hessian_eig_residual";
  /** index = rank i, value = 0 or 1 */
  public static final String CONVERGED = "hessian_eig_converged";
  /** index = the λ grid value, value = φ(λ) */
  public static final String DENSITY = "hessian_density";
  public static final Set<String> QUANTITIES = Set.of(EIG, RESIDUAL, CONVERGED, DENSITY);

  /**
   * one eigenpair's numbers at one step; {@code residual} is NaN and {@code converged} null while (or when) their
   * rows are missing, {@code value} NaN when only the residual or flag has been read so far
   */
  public record Eigen(long step, int rank, double value, double residual, Boolean converged) {}

  /** probe -> step -> rank -> {λ, residual, converged (NaN, 0, 1)} */
  private final Map<String, TreeMap<Long, TreeMap<Integer, double[]>>> eigen = new LinkedHashMap<>();
  /** probe -> step -> grid λ -> φ(λ) */
  private final Map<String, TreeMap<Long, TreeMap<Double, Double>>> density = new LinkedHashMap<>();

  /** keeps {@code r} when it is one of the four quantities; returns whether it was */
  public boolean add(MetricRow r) {
    if (!QUANTITIES.contains(r.quantity()) || !r.hasIndex()) {
      return false;
    }
    if (r.quantity().equals(DENSITY)) {
      density.computeIfAbsent(r.probe(), p -> new TreeMap<>()).computeIfAbsent(r.step(), s -> new TreeMap<>())
          .put(r.index(), r.value());
      return true;
    }
    double[] e = eigen.computeIfAbsent(r.probe(), p -> new TreeMap<>()).computeIfAbsent(r.step(), s -> new TreeMap<>())
        .computeIfAbsent((int) Math.round(r.index()), i -> new double[] { Double.NaN, Double.NaN, Double.NaN });
    switch (r.quantity()) {
      case EIG -> e[0] = r.value();
      case RESIDUAL -> e[1] = r.value();
      default -> e[2] = r.value();
    }
    return true;
  }

  /** the probes with curvature rows, {@code curvature} first, then in the order they were first read */
  public List<String> probes() {
    Set<String> all = new TreeSet<>(eigen.keySet());
    all.addAll(density.keySet());
    List<String> order = new ArrayList<>();
    if (all.remove("curvature")) {
      order.add("curvature");
    }
    for (String p : eigen.keySet()) {
      if (all.remove(p)) {
        order.add(p);
      }
    }
    order.addAll(all);
    return order;
  }

  /** rank -> its eigenpairs with a value, in step order */
  public Map<Integer, List<Eigen>> eigenByRank(String probe) {
    Map<Integer, List<Eigen>> byRank = new TreeMap<>();
    eigen.getOrDefault(probe, new TreeMap<>()).forEach((step, ranks) -> ranks.forEach((rank, e) -> {
      if (!Double.isNaN(e[0])) {
        byRank.computeIfAbsent(rank, k -> new ArrayList<>()).add(eigen(step, rank, e));
      }
    }));
    return byRank;
  }

  /** the eigenpair of {@code rank} at {@code step}, or null */
  public Eigen eigen(String probe, long step, int rank) {
    TreeMap<Integer, double[]> ranks = eigen.getOrDefault(probe, new TreeMap<>()).get(step);
    double[] e = ranks == null ? null : ranks.get(rank);
    return e == null ? null : eigen(step, rank, e);
  }

  private static Eigen eigen(long step, int rank, double[] e) {
    return new Eigen(step, rank, e[0], e[1], Double.isNaN(e[2]) ? null : e[2] != 0);
  }

  /** the steps with density rows, ascending */
  public NavigableSet<Long> densitySteps(String probe) {
    return new TreeSet<>(density.getOrDefault(probe, new TreeMap<>()).keySet());
  }

  /** {grid λ ascending, φ(λ)} at {@code step}; empty arrays when there are no rows */
  public double[][] density(String probe, long step) {
    TreeMap<Double, Double> d = density.getOrDefault(probe, new TreeMap<>()).getOrDefault(step, new TreeMap<>());
    double[][] xy = new double[2][d.size()];
    int i = 0;
    for (Map.Entry<Double, Double> e : d.entrySet()) {
      xy[0][i] = e.getKey();
      xy[1][i++] = e.getValue();
    }
    return xy;
  }

  public void clear() {
    eigen.clear();
    density.clear();
  }
}
