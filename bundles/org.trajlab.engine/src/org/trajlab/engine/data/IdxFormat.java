package org.trajlab.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.trajlab.api.spec.SpecException;

/**
 * Fashion-MNIST and MNIST: four IDX files, each optionally gzipped — train-images-idx3-ubyte,
 * train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte — of grey images and labels 0..9.
 */
final class IdxFormat implements ImageFormat {
  static final String FIELD = "data.dir";
  static final String[] FILES = { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte" };
  static final int NUM_CLASSES = 10;

  static final IdxFormat FASHION_MNIST = new IdxFormat("Fashion-MNIST",
      "set 'data.dir' to a folder with the Fashion-MNIST IDX files or install the Debian package dataset-fashion-mnist.");
  static final IdxFormat MNIST = new IdxFormat("MNIST", "set 'data.dir' to a folder with the MNIST IDX files ("
      + String.join(", ", FILES) + ", each optionally gzipped).");

  private final String title;
  private final String advice;

  private IdxFormat(String title, String advice) {
    this.title = title;
    this.advice = advice;
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  public String missingFolderAdvice() {
    return advice;
  }

  @Override
  public Path locate(Path dir) throws SpecException {
    if (!Files.isDirectory(dir)) {
      throw new SpecException(FIELD, "The data folder " + dir + " does not exist; " + advice);
    }
    for (String f : FILES) {
      if (IdxFiles.find(dir, f) == null) {
        throw new SpecException(FIELD, "The data folder " + dir + " has no " + f + " (or " + f
            + ".gz); it needs train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and"
            + " t10k-labels-idx1-ubyte.");
      }
    }
    return dir;
  }

  /** reads the label files whole (they are small: every label is checked) and the image files' headers */
  @Override
  public Summary check(Path dir) throws SpecException {
    IdxFiles.ImageHeader train = pair(dir, 0);
    IdxFiles.ImageHeader test = pair(dir, 2);
    if (train.rows() != test.rows() || train.cols() != test.cols()) {
      throw new SpecException(FIELD, "The training images are " + train.rows() + "x" + train.cols()
          + " but the test images are " + test.rows() + "x" + test.cols() + "; they must match.");
    }
    return new Summary(train.count(), test.count(), 1, train.rows(), train.cols(), NUM_CLASSES);
  }

  private static IdxFiles.ImageHeader pair(Path dir, int first) throws SpecException {
    Path images = IdxFiles.find(dir, FILES[first]);
    Path labels = IdxFiles.find(dir, FILES[first + 1]);
    int nLabels = IdxFiles.readLabels(labels, NUM_CLASSES, FIELD).length;
    IdxFiles.ImageHeader h = IdxFiles.imageHeader(images, FIELD);
    if (h.count() != nLabels) {
      throw IdxFiles.countMismatch(images, h.count(), labels, nLabels, FIELD);
    }
    return h;
  }

  @Override
  public RawImages readTrain(Path dir) throws SpecException {
    return IdxFiles.readRaw(IdxFiles.find(dir, FILES[0]), IdxFiles.find(dir, FILES[1]), NUM_CLASSES, FIELD);
  }

  @Override
  public int[] trainLabels(Path dir) throws SpecException {
    return IdxFiles.readLabels(IdxFiles.find(dir, FILES[1]), NUM_CLASSES, FIELD);
  }

  @Override
  public RawImages readTest(Path dir) throws SpecException {
    return IdxFiles.readRaw(IdxFiles.find(dir, FILES[2]), IdxFiles.find(dir, FILES[3]), NUM_CLASSES, FIELD);
  }

  @Override
  public List<Path> files(Path dir) {
    List<Path> out = new ArrayList<>();
    for (String f : FILES) out.add(IdxFiles.find(dir, f));
    return out;
  }
}
