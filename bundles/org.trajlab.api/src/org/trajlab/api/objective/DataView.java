package org.trajlab.api.objective;

/**
 * A fixed set of examples an objective is evaluated on: {@code train-eval}, {@code test}, {@code train-full}, or a
 * named batch of training examples. Obtained from {@link Objective#view(String)} or {@link Objective#batch}.
 */
public interface DataView {
  String name();

  int size();
}
