package org.trajlab.engine.data;

import java.nio.file.Path;
import java.util.Map;

import org.trajlab.api.spec.DataSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;

/**
 * The data layer's entry points: {@link #check} before a run starts (folder, files, headers and every size the spec
 * asks for, without reading pixels) and {@link #load} to read the files and apply the spec's subsets, held-out split
 * and label corruption (see {@link DataSpec} for the order). Every problem is a one-sentence {@link SpecException}
 * naming the field.
 */
public final class Datasets {
  public static final String FASHION_MNIST = "fashion-mnist";
  public static final String MNIST = "mnist";
  public static final String CIFAR10 = "cifar10";
  public static final String CIFAR100 = "cifar100";
  public static final String QUADRATIC = "quadratic";
  public static final String TEXT = "text";

  private Datasets() {}

  /** the file format of an image dataset (not the quadratic) */
  static ImageFormat format(DataSpec d) {
    return switch (d.dataset) {
      case FASHION_MNIST -> IdxFormat.FASHION_MNIST;
      case MNIST -> IdxFormat.MNIST;
      case CIFAR10 -> CifarFormat.cifar10();
      case CIFAR100 -> CifarFormat.cifar100("coarse".equals(d.cifar100Labels));
      default -> throw new IllegalArgumentException("no files for dataset " + d.dataset);
    };
  }

  /**
   * The data folder: for fashion-mnist {@code data.dir}, else -Dtrajlab.fashionMnistDir, else
   * $TRAJLAB_FASHION_MNIST_DIR, else the Debian package's folder; for mnist, cifar10 and cifar100 {@code data.dir},
   * which they require; null for the quadratic, which has no files.
   */
  public static Path resolveDir(DataSpec d) throws SpecException {
    if (QUADRATIC.equals(d.dataset)) return null;
    if (FASHION_MNIST.equals(d.dataset)) return FashionMnist.resolveDir(d.dir);
    if (TEXT.equals(d.dataset) && (d.dir == null || d.dir.isBlank())) {
      throw new SpecException("data.dir", "Field 'data.dir' must name the data folder for the dataset text, which has no"
          + " default folder; set 'data.dir' to a folder with train/<class>/*.txt and test/<class>/*.txt.");
    }
    if (TEXT.equals(d.dataset) && !java.nio.file.Files.isDirectory(Path.of(d.dir))) {
      throw new SpecException("data.dir", "The data folder " + d.dir + " does not exist; set 'data.dir' to a folder with"
          + " train/<class>/*.txt and test/<class>/*.txt.");
    }
    if (d.dir == null || d.dir.isBlank()) {
      ImageFormat f = format(d);
      throw new SpecException("data.dir", "Field 'data.dir' must name the data folder for the dataset " + d.dataset
          + ", which has no default folder; " + f.missingFolderAdvice());
    }
    return Path.of(d.dir);
  }

  /**
   * Checks the spec's data against the files without reading their pixels: the folder and every file exist, headers
   * and file lengths are right, labels are classes (label bytes are few, so they are all read), and the training,
   * held-out, test and train-eval sizes fit the files.
   */
  public static DataShape check(DataSpec d) throws SpecException {
    Specs.checkData(d);
    if (QUADRATIC.equals(d.dataset)) {
      DataSpec.Quadratic q = quadraticOf(d);
      Splits.Plan plan = Splits.plan(d, 0, q.samples, q.testSamples);
      checkTrainEval(d, plan.train().length);
      return new DataShape(d.dataset, "synthetic quadratic", null, 1, 1, q.dim, 0, q.samples, q.testSamples,
          plan.train().length, plan.heldOut().length, plan.test().length);
    }
    Path dir;
    ImageFormat.Summary s;
    String title;
    if (TEXT.equals(d.dataset)) {
      dir = resolveDir(d);
      s = TextFolder.check(dir, textOf(d));
      title = "text folder";
    } else {
      ImageFormat format = format(d);
      dir = format.locate(resolveDir(d));
      s = format.check(dir);
      title = format.title();
    }
    Splits.Plan plan = Splits.plan(d, 0, s.trainCount(), s.testCount());
    checkTrainEval(d, plan.train().length);
    return new DataShape(d.dataset, title, dir, s.channels(), s.rows(), s.cols(), s.numClasses(),
        s.trainCount(), s.testCount(), plan.train().length, plan.heldOut().length, plan.test().length);
  }

  /**
   * Reads the dataset and applies the spec: the pool, the held-out split, the training and test subsets, the label
   * corruption, all seeded by {@code data.seed}, else {@code runSeed}. The same spec and seed give the same data.
   */
  public static LoadedData load(DataSpec d, long runSeed) throws SpecException {
    DataShape shape = check(d);
    long seed = Splits.dataSeed(d, runSeed);
    if (QUADRATIC.equals(d.dataset)) return loadQuadratic(d, seed, runSeed);
    Path dir = shape.dir();
    Splits.Plan plan = Splits.plan(d, runSeed, shape.trainFileSize(), shape.testFileSize());
    ImageSet train;
    ImageSet heldOut;
    ImageSet test;
    Map<String, String> sums;
    if (TEXT.equals(d.dataset)) {
      TextFolder.RawText raw = TextFolder.read(dir, textOf(d));
      train = raw.train().select(plan.train());
      heldOut = plan.heldOut().length == 0 ? null : raw.train().select(plan.heldOut());
      test = raw.test().select(plan.test());
      sums = Map.of(); // a text folder may hold tens of thousands of files: the run records their count, not their sums
    } else {
      ImageFormat format = format(d);
      RawImages trainFile = format.readTrain(dir);
      RawImages testFile = format.readTest(dir);
      train = trainFile.select(plan.train());
      heldOut = plan.heldOut().length == 0 ? null : trainFile.select(plan.heldOut());
      test = testFile.select(plan.test());
      sums = Checksums.of(format.files(dir));
    }
    LabelCorruption corruption = d.labelNoise == null || d.labelNoise == 0 ? LabelCorruption.none()
        : LabelCorruption.draw(train.labels(), train.numClasses(), d.labelNoise, seed);
    train = train.withLabels(corruption.apply(train.labels()));
    return new LoadedData(d.dataset, describe(shape, d, corruption), dir, shape.numClasses(), train, heldOut, test,
        null, plan, corruption, sums);
  }

  private static LoadedData loadQuadratic(DataSpec d, long seed, long runSeed) throws SpecException {
    DataSpec.Quadratic q = quadraticOf(d);
    SyntheticQuadratic model = SyntheticQuadratic.of(q);
    SyntheticQuadratic.Samples trainFile = model.samples(Splits.stream(seed, Splits.Purpose.QUADRATIC_TRAIN), q.samples);
    SyntheticQuadratic.Samples testFile = model.samples(Splits.stream(seed, Splits.Purpose.QUADRATIC_TEST),
        q.testSamples);
    Splits.Plan plan = Splits.plan(d, runSeed, q.samples, q.testSamples);
    QuadraticData data = new QuadraticData(model, trainFile.select(plan.train()),
        plan.heldOut().length == 0 ? null : trainFile.select(plan.heldOut()), testFile.select(plan.test()));
    DataShape shape = new DataShape(d.dataset, "synthetic quadratic", null, 1, 1, q.dim, 0, q.samples, q.testSamples,
        plan.train().length, plan.heldOut().length, plan.test().length);
    return new LoadedData(d.dataset, describe(shape, d, LabelCorruption.none()), null, 0, null, null, null, data, plan,
        LabelCorruption.none(), Map.of());
  }

  /** the spec's text parameters, or the defaults when a programmatic spec left them out */
  public static DataSpec.Text textOf(DataSpec d) {
    return d.text != null ? d.text : new DataSpec.Text();
  }

  /** the spec's quadratic parameters, or the defaults when a programmatic spec left them out */
  static DataSpec.Quadratic quadraticOf(DataSpec d) {
    return d.quadratic != null ? d.quadratic : new DataSpec.Quadratic();
  }

  static void checkTrainEval(DataSpec d, int trainSize) throws SpecException {
    Specs.require(d.trainEvalSize <= trainSize, "data.trainEvalSize", "Field 'data.trainEvalSize' is "
        + d.trainEvalSize + " but the training set has only " + trainSize + " examples; choose at most " + trainSize);
  }

  /**
   * One line for run.log, e.g. "CIFAR-10 from /data/cifar: 45000 training examples of 50000 (5000 held out), 10000
   * test examples of 10000, 3x32x32, 10 classes; 4500 training labels (p = 0.1) replaced by random labels, 4032 of
   * them changed".
   */
  static String describe(DataShape s, DataSpec d, LabelCorruption c) {
    StringBuilder b = new StringBuilder(s.title());
    if (s.dir() != null) b.append(" from ").append(s.dir());
    b.append(": ").append(s.trainSize()).append(" training examples of ").append(s.trainFileSize());
    if (d.trainRange != null) {
      b.append(" (range ").append(d.trainRange.from).append("..")
          .append(d.trainRange.to == null ? s.trainFileSize() : d.trainRange.to).append(')');
    }
    if (s.heldOutSize() > 0) b.append(", ").append(s.heldOutSize()).append(" held out");
    if (d.trainSize != null) b.append(", subset ").append(d.trainSelection);
    b.append(", ").append(s.testSize()).append(" test examples of ").append(s.testFileSize());
    if (QUADRATIC.equals(d.dataset)) {
      DataSpec.Quadratic q = quadraticOf(d);
      b.append(", dimension ").append(q.dim).append(", A: ").append(q.fastCount).append(" fast eigenvalues ")
          .append(q.fast).append(" and ").append(q.dim - q.fastCount).append(" slow ").append(q.slow)
          .append(", sigma ").append(q.sigma);
    } else {
      if (TEXT.equals(d.dataset)) {
        b.append(", ").append(s.cols()).append(" words per example, vocabulary ").append(textOf(d).vocab).append(", ")
            .append(s.numClasses()).append(" classes");
      } else {
        b.append(", ").append(s.channels()).append('x').append(s.rows()).append('x').append(s.cols()).append(", ")
            .append(s.numClasses()).append(" classes");
      }
    }
    if (c.count() > 0) {
      b.append("; ").append(c.count()).append(" training labels (p = ").append(c.fraction())
          .append(") replaced by random labels, ").append(c.changedCount()).append(" of them changed");
    }
    return b.toString();
  }
}
