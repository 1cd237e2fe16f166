package org.trajlab.engine.data;

import java.nio.file.Path;
import java.util.List;
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
  /** the data sets the engine reads: the one place a new one is named (with its {@link Source} below) */
  public static final java.util.Set<String> NAMES = java.util.Set.of(FASHION_MNIST, MNIST, CIFAR10, CIFAR100, TEXT, QUADRATIC);
  public static final java.util.Set<String> CIFAR100_LABELS = java.util.Set.of("fine", "coarse");

  private Datasets() {}

  /**
   * What one kind of data set does differently: where its folder is, how its files are checked and read, how its
   * examples are described. {@link #source} maps a spec's dataset name to it, the one place that asks which kind a
   * spec names.
   */
  private interface Source {
    /** the data folder the spec names or implies (null for the quadratic, which has no files) */
    Path dir(DataSpec d) throws SpecException;

    /** the folder inside {@code dir} that holds the files (CIFAR archives unpack into a subfolder) */
    default Path locate(Path dir) throws SpecException {
      return dir;
    }

    /** what the files hold, from headers and sizes only */
    ImageFormat.Summary check(Path dir, DataSpec d) throws SpecException;

    /** the data set's name for people, e.g. "CIFAR-10" */
    String title(DataSpec d);

    /** reads the files and selects the plan's examples; labels are the files' own (corruption comes after) */
    LoadedData read(DataShape shape, DataSpec d, long runSeed) throws SpecException;

    /** the examples' shape for run.log, e.g. "1x28x28, 10 classes" */
    String examples(DataShape s, DataSpec d);

    /** the files' class of every example of the training file(s), in file order; null when the data has no classes */
    int[] trainLabels(DataShape s, DataSpec d) throws SpecException;
  }

  private static Source source(DataSpec d) {
    return switch (d.dataset) {
      case QUADRATIC -> QUADRATIC_SOURCE;
      case TEXT -> TEXT_SOURCE;
      default -> new Files(format(d));
    };
  }

  /** image files in a folder: Fashion-MNIST, MNIST (IDX), CIFAR-10, CIFAR-100 (binary) */
  private record Files(ImageFormat format) implements Source {
    @Override
    public Path dir(DataSpec d) throws SpecException {
      if (FASHION_MNIST.equals(d.dataset)) return FashionMnist.resolveDir(d.dir);
      if (d.dir == null || d.dir.isBlank()) {
        throw new SpecException("data.dir", "Field 'data.dir' must name the data folder for the dataset " + d.dataset
            + ", which has no default folder; " + format.missingFolderAdvice());
      }
      return Path.of(d.dir);
    }

    @Override
    public Path locate(Path dir) throws SpecException {
      return format.locate(dir);
    }

    @Override
    public ImageFormat.Summary check(Path dir, DataSpec d) throws SpecException {
      return format.check(dir);
    }

    @Override
    public String title(DataSpec d) {
      return format.title();
    }

    @Override
    public LoadedData read(DataShape shape, DataSpec d, long runSeed) throws SpecException {
      Splits.Plan plan = shape.plan();
      Path dir = shape.dir();
      List<Path> paths = format.files(dir);
      DataFileCache.Decoded files = DataFileCache.get(d.dataset + " " + format.title() + " " + d.cifar100Labels, paths,
          () -> new DataFileCache.Decoded(format.readTrain(dir), format.readTest(dir), Checksums.of(paths)));
      ImageSet heldOut = plan.heldOut().length == 0 ? null : DataFileCache.select(files, true, plan.heldOut());
      return corrupted(shape, d, runSeed, DataFileCache.select(files, true, plan.train()), heldOut,
          DataFileCache.select(files, false, plan.test()), files.checksums());
    }

    @Override
    public String examples(DataShape s, DataSpec d) {
      return s.channels() + "x" + s.rows() + "x" + s.cols() + ", " + s.numClasses() + " classes";
    }

    @Override
    public int[] trainLabels(DataShape s, DataSpec d) throws SpecException {
      return format.trainLabels(s.dir());
    }
  }

  /** a folder of text files, train/&lt;class&gt;/*.txt and test/&lt;class&gt;/*.txt, as word ids */
  private static final Source TEXT_SOURCE = new Source() {
    @Override
    public Path dir(DataSpec d) throws SpecException {
      if (d.dir == null || d.dir.isBlank()) {
        throw new SpecException("data.dir", "Field 'data.dir' must name the data folder for the dataset text, which has no"
            + " default folder; set 'data.dir' to a folder with train/<class>/*.txt and test/<class>/*.txt.");
      }
      if (!java.nio.file.Files.isDirectory(Path.of(d.dir))) {
        throw new SpecException("data.dir", "The data folder " + d.dir + " does not exist; set 'data.dir' to a folder with"
            + " train/<class>/*.txt and test/<class>/*.txt.");
      }
      return Path.of(d.dir);
    }

    @Override
    public ImageFormat.Summary check(Path dir, DataSpec d) throws SpecException {
      return TextFolder.check(dir, textOf(d));
    }

    @Override
    public String title(DataSpec d) {
      return "text folder";
    }

    @Override
    public LoadedData read(DataShape shape, DataSpec d, long runSeed) throws SpecException {
      Splits.Plan plan = shape.plan();
      TextFolder.RawText raw = TextFolder.read(shape.dir(), textOf(d));
      ImageSet heldOut = plan.heldOut().length == 0 ? null : raw.train().select(plan.heldOut());
      // a text folder may hold tens of thousands of files: the run records their count, not their sums
      return corrupted(shape, d, runSeed, raw.train().select(plan.train()), heldOut, raw.test().select(plan.test()), Map.of());
    }

    @Override
    public String examples(DataShape s, DataSpec d) {
      return s.cols() + " words per example, vocabulary " + textOf(d).vocab + ", " + s.numClasses() + " classes";
    }

    @Override
    public int[] trainLabels(DataShape s, DataSpec d) throws SpecException {
      return TextFolder.split(s.dir(), "train").labels();
    }
  };

  /** the synthetic quadratic of INSTRUMENTS.md §4: samples drawn from the data seed, no files */
  private static final Source QUADRATIC_SOURCE = new Source() {
    @Override
    public Path dir(DataSpec d) {
      return null;
    }

    @Override
    public ImageFormat.Summary check(Path dir, DataSpec d) {
      DataSpec.Quadratic q = quadraticOf(d);
      return new ImageFormat.Summary(q.samples, q.testSamples, 1, 1, q.dim, 0);
    }

    @Override
    public String title(DataSpec d) {
      return "synthetic quadratic";
    }

    @Override
    public LoadedData read(DataShape shape, DataSpec d, long runSeed) throws SpecException {
      DataSpec.Quadratic q = quadraticOf(d);
      long seed = Splits.dataSeed(d, runSeed);
      SyntheticQuadratic model = SyntheticQuadratic.of(q);
      SyntheticQuadratic.Samples trainFile = model.samples(Splits.stream(seed, Splits.Purpose.QUADRATIC_TRAIN), q.samples);
      SyntheticQuadratic.Samples testFile = model.samples(Splits.stream(seed, Splits.Purpose.QUADRATIC_TEST), q.testSamples);
      Splits.Plan plan = shape.plan();
      QuadraticData data = new QuadraticData(model, trainFile.select(plan.train()),
          plan.heldOut().length == 0 ? null : trainFile.select(plan.heldOut()), testFile.select(plan.test()));
      return new LoadedData(d.dataset, describe(shape, d, LabelCorruption.none()), null, 0, null, null, null, data, plan,
          LabelCorruption.none(), Map.of());
    }

    @Override
    public String examples(DataShape s, DataSpec d) {
      DataSpec.Quadratic q = quadraticOf(d);
      return "dimension " + q.dim + ", A: " + q.fastCount + " fast eigenvalues " + q.fast + " and " + (q.dim - q.fastCount)
          + " slow " + q.slow + ", sigma " + q.sigma;
    }

    @Override
    public int[] trainLabels(DataShape s, DataSpec d) {
      return null; // regression: no classes
    }
  };

  /** the file format of an image dataset (not the quadratic or text) */
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
   * $TRAJLAB_FASHION_MNIST_DIR, else the Debian package's folder; for the other data sets with files
   * {@code data.dir}, which they require; null for the quadratic, which has no files. (The files themselves may sit
   * in the folder a CIFAR archive unpacks to, inside it: {@link #check} finds them.)
   */
  public static Path resolveDir(DataSpec d) throws SpecException {
    return source(d).dir(d);
  }

  /**
   * Checks the spec's data against the files without reading their pixels: the folder and every file exist, headers
   * and file lengths are right, labels are classes (label bytes are few, so they are all read), and the training,
   * held-out, test and train-eval sizes fit the files. The shape carries the folder and the plan of which examples
   * each set takes (seeded by {@code data.seed}, else {@code runSeed}), so {@link #load} reads without checking again.
   */
  public static DataShape check(DataSpec d, long runSeed) throws SpecException {
    checkFields(d);
    Source source = source(d);
    Path folder = source.dir(d);
    Path dir = folder == null ? null : source.locate(folder);
    ImageFormat.Summary s = source.check(dir, d);
    Splits.Plan plan = Splits.plan(d, runSeed, s.trainCount(), s.testCount());
    checkTrainEval(d, plan.train().length);
    return new DataShape(d.dataset, source.title(d), dir, s.channels(), s.rows(), s.cols(), s.numClasses(),
        s.trainCount(), s.testCount(), plan);
  }

  /**
   * Fills, in place, the fields a data set implies: the quadratic's and the text folder's parameters (their
   * defaults), so the resolved spec shows them. Idempotent.
   */
  public static void resolve(DataSpec d) {
    if (QUADRATIC.equals(d.dataset) && d.quadratic == null) d.quadratic = new DataSpec.Quadratic();
    if (TEXT.equals(d.dataset) && d.text == null) d.text = new DataSpec.Text();
  }

  /**
   * The checks of {@code data} that need no files: the generic ones ({@link Specs#checkData}: ranges, sizes,
   * selections), the data set's name, and the fields that apply to one data set only.
   */
  static void checkFields(DataSpec d) throws SpecException {
    Specs.oneOf("data.dataset", d.dataset, NAMES);
    Specs.require(d.cifar100Labels == null || CIFAR100.equals(d.dataset), "data.cifar100Labels",
        "Field 'data.cifar100Labels' applies only to the dataset cifar100, but the dataset is '" + d.dataset + "'");
    if (d.cifar100Labels != null) Specs.oneOf("data.cifar100Labels", d.cifar100Labels, CIFAR100_LABELS);
    Specs.require(d.quadratic == null || QUADRATIC.equals(d.dataset), "data.quadratic",
        "Field 'data.quadratic' applies only to the dataset quadratic, but the dataset is '" + d.dataset + "'");
    if (d.quadratic != null) checkQuadratic(d.quadratic);
    Specs.require(d.text == null || TEXT.equals(d.dataset), "data.text",
        "Field 'data.text' applies only to the dataset text, but the dataset is '" + d.dataset + "'");
    if (d.text != null) {
      Specs.require(d.text.vocab >= 3 && d.text.vocab <= 1_000_000, "data.text.vocab", "Field 'data.text.vocab' must be a"
          + " vocabulary size from 3 (padding, unknown and one word) to 1000000, but it is " + d.text.vocab);
      Specs.require(d.text.length >= 1 && d.text.length <= 10_000, "data.text.length",
          "Field 'data.text.length' must be a number of words from 1 to 10000, but it is " + d.text.length);
    }
    Specs.checkData(d);
    Specs.require(d.labelNoise == null || d.labelNoise == 0 || !QUADRATIC.equals(d.dataset), "data.labelNoise",
        "Field 'data.labelNoise' needs labels, but the dataset quadratic has none");
  }

  private static void checkQuadratic(DataSpec.Quadratic q) throws SpecException {
    String f = "data.quadratic.";
    Specs.require(q.dim > 0, f + "dim", "Field '" + f + "dim' must be a positive dimension, but it is " + q.dim);
    Specs.require(Double.isFinite(q.fast) && q.fast > 0, f + "fast",
        "Field '" + f + "fast' (the fast eigenvalue of A) must be a positive number, but it is " + q.fast);
    Specs.require(Double.isFinite(q.slow) && q.slow > 0, f + "slow",
        "Field '" + f + "slow' (the slow eigenvalue of A) must be a positive number, but it is " + q.slow);
    Specs.require(q.fastCount >= 0 && q.fastCount <= q.dim, f + "fastCount",
        "Field '" + f + "fastCount' must be a number of coordinates from 0 to dim (" + q.dim + "), but it is " + q.fastCount);
    Specs.require(Double.isFinite(q.sigma) && q.sigma > 0, f + "sigma",
        "Field '" + f + "sigma' (the standard deviation of x) must be a positive number, but it is " + q.sigma);
    Specs.require(q.samples > 0, f + "samples",
        "Field '" + f + "samples' must be a positive number of training samples, but it is " + q.samples);
    Specs.require(q.testSamples > 0, f + "testSamples",
        "Field '" + f + "testSamples' must be a positive number of test samples, but it is " + q.testSamples);
  }

  /** {@link #check(DataSpec, long)} where the seed does not matter (sizes and files only) */
  public static DataShape check(DataSpec d) throws SpecException {
    return check(d, 0);
  }

  /**
   * Reads the dataset {@link #check checked} into {@code shape} and applies the spec: the held-out split, the
   * training and test subsets, the label corruption, all seeded by {@code data.seed}, else {@code runSeed}. The same
   * spec and seed give the same data.
   */
  /**
   * how many of the examples the run trains on ({@code shape}'s plan: after the subsets and the held-out split, before
   * any label corruption) the files put in each class; null for data without classes. Reads the labels only.
   */
  public static int[] trainClassCounts(DataSpec d, DataShape shape) throws SpecException {
    int[] labels = source(d).trainLabels(shape, d);
    return labels == null ? null : classCounts(labels, shape.plan().train(), shape.numClasses());
  }

  /** the count of each class 0..k-1 among {@code labels[i]} for i in {@code selected} */
  static int[] classCounts(int[] labels, int[] selected, int k) {
    int[] counts = new int[k];
    for (int i : selected) counts[labels[i]]++;
    return counts;
  }

  public static LoadedData load(DataSpec d, DataShape shape, long runSeed) throws SpecException {
    return source(d).read(shape, d, runSeed);
  }

  /** checks and reads in one go (tests, tools) */
  public static LoadedData load(DataSpec d, long runSeed) throws SpecException {
    return load(d, check(d, runSeed), runSeed);
  }

  /** the label corruption of {@code data.labelNoise} applied to the training set, and the data put together */
  private static LoadedData corrupted(DataShape shape, DataSpec d, long runSeed, ImageSet train, ImageSet heldOut,
      ImageSet test, Map<String, String> sums) {
    long seed = Splits.dataSeed(d, runSeed);
    LabelCorruption corruption = d.labelNoise == null || d.labelNoise == 0 ? LabelCorruption.none()
        : LabelCorruption.draw(train.labels(), train.numClasses(), d.labelNoise, seed);
    ImageSet labelled = train.withLabels(corruption.apply(train.labels()));
    return new LoadedData(d.dataset, describe(shape, d, corruption), shape.dir(), shape.numClasses(), labelled, heldOut,
        test, null, shape.plan(), corruption, sums);
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
    b.append(", ").append(source(d).examples(s, d));
    if (c.count() > 0) {
      b.append("; ").append(c.count()).append(" training labels (p = ").append(c.fraction())
          .append(") replaced by random labels, ").append(c.changedCount()).append(" of them changed");
    }
    return b.toString();
  }
}
