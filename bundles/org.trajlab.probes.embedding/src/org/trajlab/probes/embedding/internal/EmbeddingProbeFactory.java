package org.trajlab.probes.embedding.internal;

import java.util.Set;

import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeFactory;
import org.trajlab.api.probe.ProbeParams;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;

/**
 * params: {@code set} the examples whose predictions are embedded (test, or train-eval), {@code examples} how many of
 * them (a seeded subset, the same at every step; default 1000, 0 = all), {@code seed} (the subset's and UMAP's;
 * default the run's), {@code neighbours} (UMAP's n_neighbors, 15, capped at the measured steps less one), {@code minDist}
 * (UMAP's min_dist, 0.1), {@code epochs} (UMAP's optimisation epochs, 0 = its own default: 500 for small sets).
 */
public final class EmbeddingProbeFactory implements ProbeFactory {
  @Override
  public Probe create(ProbeSpec spec, String field) throws SpecException {
    ProbeParams p = new ProbeParams(spec.params, field, Set.of("set", "examples", "seed", "neighbours", "minDist", "epochs"));
    String set = p.string("set", "test", Set.of("test", "train-eval"));
    int examples = p.integer("examples", 1000, 0, 1_000_000);
    Long seed = p.has("seed") ? (long) p.integer("seed", 0, 0, Integer.MAX_VALUE) : null;
    int neighbours = p.integer("neighbours", 15, 2, 200);
    double minDist = p.number("minDist", 0.1);
    if (!(minDist >= 0 && minDist <= 1)) {
      throw new SpecException(field + ".params.minDist", "Field '" + field + ".params.minDist' must be a number from 0 to 1,"
          + " but it is " + minDist + ".");
    }
    int epochs = p.integer("epochs", 0, 0, 100_000);
    return new EmbeddingProbe(new Schedule(spec.schedule), set, examples, neighbours, minDist, epochs, seed);
  }
}
