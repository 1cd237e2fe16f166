package org.trajlab.engine.data;

import java.nio.file.Path;
import java.util.List;

import org.trajlab.api.spec.SpecException;

/**
 * A dataset stored as files in a folder: which files it needs, how to check them cheaply, how to read them. The
 * implementations are {@link IdxFormat} (Fashion-MNIST, MNIST) and {@link CifarFormat} (CIFAR-10, CIFAR-100).
 */
interface ImageFormat {
  /** what the files hold and where a training set and a test set of them come from, from headers and sizes only */
  record Summary(int trainCount, int testCount, int channels, int rows, int cols, int numClasses) {}

  /** the dataset's name for people, e.g. "CIFAR-10" */
  String title();

  /** the sentence's end after "The data folder X does not exist; " */
  String missingFolderAdvice();

  /**
   * the folder that holds the files: {@code dir} itself, or the subfolder the dataset's archive unpacks to when only
   * that one has them; a missing folder or file is a one-sentence error that says which files are needed
   */
  Path locate(Path dir) throws SpecException;

  /** checks the files in {@code dir} (from {@link #locate}) without reading their pixels */
  Summary check(Path dir) throws SpecException;

  RawImages readTrain(Path dir) throws SpecException;

  RawImages readTest(Path dir) throws SpecException;

  /** the class of every example of the training file(s), in file order, read without the pixels */
  int[] trainLabels(Path dir) throws SpecException;

  /** the files a run reads, for their checksums */
  List<Path> files(Path dir);
}
