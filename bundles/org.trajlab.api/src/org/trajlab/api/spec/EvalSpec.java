package org.trajlab.api.spec;

import java.util.ArrayList;
import java.util.List;

/** Evaluation of loss and accuracy every {@code every} updates, at step 0 and at the end, on the named sets. */
public class EvalSpec {
  public int every = 100;
  public List<String> sets = new ArrayList<>(List.of("train-eval", "test"));
}
