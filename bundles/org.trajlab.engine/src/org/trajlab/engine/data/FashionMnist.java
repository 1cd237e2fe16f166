package org.trajlab.engine.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.trajlab.api.spec.SpecException;

/**
 * Fashion-MNIST (and MNIST, same format) from a folder of IDX files: train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally gzipped. The default folder is where the Debian
 * package dataset-fashion-mnist installs them. The whole files, no subsets: {@link Datasets#load} is the entry point
 * that applies a {@link org.trajlab.api.spec.DataSpec}.
 */
public final class FashionMnist {
  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  public static final String[] FILES = IdxFormat.FILES.clone();

  private final ImageSet train;
  private final ImageSet test;
  private final Map<String, String> checksums;
  private final Path dir;

  private FashionMnist(Path dir, ImageSet train, ImageSet test, Map<String, String> checksums) {
    this.dir = dir;
    this.train = train;
    this.test = test;
    this.checksums = checksums;
  }

  /** spec value, else -Dtrajlab.fashionMnistDir, else $TRAJLAB_FASHION_MNIST_DIR, else the Debian folder */
  public static Path resolveDir(String specDir) {
    if (specDir != null && !specDir.isBlank()) return Path.of(specDir);
    String p = System.getProperty("trajlab.fashionMnistDir");
    if (p != null && !p.isBlank()) return Path.of(p);
    String e = System.getenv("TRAJLAB_FASHION_MNIST_DIR");
    if (e != null && !e.isBlank()) return Path.of(e);
    return DEBIAN_DIR;
  }

  /** checks that the folder and its four files exist, without reading them */
  public static void checkFolder(Path dir) throws SpecException {
    IdxFormat.FASHION_MNIST.locate(dir);
  }

  public static FashionMnist load(Path dir) throws SpecException {
    checkFolder(dir);
    Path[] p = new Path[FILES.length];
    Map<String, String> sums = new LinkedHashMap<>();
    for (int i = 0; i < FILES.length; i++) {
      p[i] = IdxFiles.find(dir, FILES[i]);
      sums.put(p[i].getFileName().toString(), Checksums.sha256(p[i]));
    }
    ImageSet train = IdxFiles.read(p[0], p[1], 10, "data.dir");
    ImageSet test = IdxFiles.read(p[2], p[3], 10, "data.dir");
    if (train.rows() != test.rows() || train.cols() != test.cols()) {
      throw new SpecException("data.dir", "The training images are " + train.rows() + "x" + train.cols()
          + " but the test images are " + test.rows() + "x" + test.cols() + "; they must match.");
    }
    return new FashionMnist(dir, train, test, sums);
  }

  public ImageSet train() {
    return train;
  }

  public ImageSet test() {
    return test;
  }

  public Path dir() {
    return dir;
  }

  /** SHA-256 of each file as stored (for environment.json) */
  public Map<String, String> checksums() {
    return checksums;
  }
}
