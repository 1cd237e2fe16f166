package org.trajlab.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The data. Fashion-MNIST from the Debian package's folder by default; {@code dir} points elsewhere. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataSpec {
  public String dataset = "fashion-mnist";
  /** folder with the IDX files; null = the preference, else the Debian package's folder */
  public String dir;
  /** size of the fixed train-eval subset of the training set */
  public int trainEvalSize = 5000;
  /** random (seeded) or first (the first trainEvalSize training examples) */
  public String trainEvalSelection = "random";
  /** use only the first trainSize training examples (null = all) */
  public Integer trainSize;
}
