package org.trajlab.engine.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of a run, as {@link Datasets#load} leaves it: the sets to train, hold out and test on, where they came
 * from, and which training labels were corrupted.
 * <p>
 * For an image dataset {@link #train}, {@link #test} (and {@link #heldOut} when a held-out split was asked for) are
 * set and {@link #quadratic} is null; for the synthetic quadratic it is the other way round.
 *
 * @param dataset     the spec's dataset name
 * @param description one line for run.log: what was loaded from where, and how it was split and corrupted
 * @param dir         the folder the files were read from (null for the quadratic)
 * @param numClasses  classes K (0 for the quadratic)
 * @param train       the training set, labels after corruption
 * @param heldOut     the held-out split (the data view "held-out"), or null
 * @param test        the test set
 * @param quadratic   the synthetic quadratic's model and samples, or null
 * @param plan        each set's example indices in its data file (train and held-out: the training file)
 * @param corruption  which examples of {@link #train} (positions 0..N-1) got random labels, and their true labels
 * @param checksums   file name to SHA-256 of every file read (empty for the quadratic)
 */
public record LoadedData(String dataset, String description, Path dir, int numClasses, ImageSet train,
    ImageSet heldOut, ImageSet test, QuadraticData quadratic, Splits.Plan plan, LabelCorruption corruption,
    Map<String, String> checksums) {

  /** the positions in the training set whose labels were replaced by random ones, sorted */
  public int[] corruptedIndices() {
    return corruption.indices();
  }

  /** the positions in the training set whose labels are the true ones, sorted */
  public int[] cleanIndices() {
    return corruption.cleanIndices(trainSize());
  }

  public boolean isQuadratic() {
    return quadratic != null;
  }

  public int trainSize() {
    return plan.train().length;
  }

  public int heldOutSize() {
    return plan.heldOut().length;
  }

  public int testSize() {
    return plan.test().length;
  }

  /** the data section of environment.json: dataset, folder, sizes, label corruption, checksums */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", dataset);
    if (dir != null) m.put("dir", dir.toString());
    m.put("train_examples", trainSize());
    m.put("held_out_examples", heldOutSize());
    m.put("test_examples", testSize());
    m.put("classes", numClasses);
    if (corruption.count() > 0) {
      m.put("label_noise", corruption.fraction());
      m.put("labels_corrupted", corruption.count());
      m.put("labels_changed", corruption.changedCount());
    }
    m.put("sha256", checksums);
    return m;
  }

  /**
   * The corrupted examples as CSV lines with a header, for a file in the run folder: position in the training set,
   * index in the training file, true label, random label.
   */
  public List<String> corruptionTable() {
    List<String> lines = new ArrayList<>();
    lines.add("train_index,file_index,true_label,random_label");
    int[] idx = corruption.indices();
    for (int i = 0; i < idx.length; i++) {
      lines.add(idx[i] + "," + plan.train()[idx[i]] + "," + corruption.originalLabels()[i] + ","
          + corruption.randomLabels()[i]);
    }
    return lines;
  }
}
