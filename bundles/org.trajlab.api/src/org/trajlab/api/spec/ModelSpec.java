package org.trajlab.api.spec;

import java.util.ArrayList;
import java.util.List;

/** The network. {@code mlp}: dense layers of the given hidden widths with ReLU, softmax output, cross-entropy. */
public class ModelSpec {
  public String type = "mlp";
  public List<Integer> hidden = new ArrayList<>(List.of(300, 100));
  public String activation = "relu";
  /** DL4J weight-init scheme name (xavier, relu, normal, uniform, ...), seeded by the run's seed */
  public String init = "xavier";
}
