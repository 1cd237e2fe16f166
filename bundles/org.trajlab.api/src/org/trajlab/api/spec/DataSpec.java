package org.trajlab.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The data: which dataset, which of its examples train, which are held out, which test, and which training labels
 * are replaced by random ones.
 * <p>
 * <b>Datasets</b> ({@link #dataset}): {@code fashion-mnist} (default; IDX files from {@link #dir}, else the
 * preference, else the Debian package's folder), {@code mnist} (the same IDX files, from {@link #dir}, which is then
 * required), {@code cifar10} ({@code data_batch_1.bin} … {@code data_batch_5.bin}, {@code test_batch.bin}, the
 * binary version), {@code cifar100} ({@code train.bin}, {@code test.bin}; labels per {@link #cifar100Labels}) and
 * {@code quadratic}, the synthetic model of INSTRUMENTS.md §4 whose samples are generated from {@link #quadratic}
 * (no files).
 * <p>
 * <b>Selection</b>, in this order, every random choice seeded by {@link #seed} (else the run's seed):
 * <ol>
 * <li>the <em>pool</em>: the training file's examples in {@link #trainRange} [from, to), else all of them;</li>
 * <li>the <em>held-out split</em>: {@link #heldOutSize} examples drawn at random from the pool and never trained
 * on (the data view {@code held-out}); it is carved first, so it stays the same when the training subset
 * changes;</li>
 * <li>the <em>training set</em>: the rest of the pool, or {@link #trainSize} of it chosen by {@link #trainSelection}
 * ({@code first} in file order, {@code random}: a seeded draw; smaller random subsets of the same seed are
 * contained in larger ones);</li>
 * <li>the <em>test set</em>: the test file's examples in {@link #testRange}, or {@link #testSize} of them chosen by
 * {@link #testSelection};</li>
 * <li><em>label corruption</em> (paper 002 §4.3): round({@link #labelNoise}·N) of the N training examples, chosen
 * at random, get a label drawn uniformly from all classes, which may equal the true one (as in Zhang et al. 2016
 * and paper 002), so the expected fraction of wrong labels is p·(K−1)/K for K classes. The run records which
 * examples were corrupted. Held-out and test labels are never corrupted.</li>
 * </ol>
 * The {@code train-eval} view is then {@link #trainEvalSize} examples of the training set ({@link
 * #trainEvalSelection}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "dataset", "dir", "cifar100Labels", "quadratic", "text", "seed", "trainRange", "heldOutSize", "trainSize",
    "trainSelection", "testRange", "testSize", "testSelection", "labelNoise", "trainEvalSize", "trainEvalSelection" })
public class DataSpec {
  /** fashion-mnist, mnist, cifar10, cifar100, text or quadratic */
  public String dataset = "fashion-mnist";
  /** the data folder; null = the preference, else the Debian package's folder (fashion-mnist only) */
  public String dir;
  /** cifar100 only: which label byte is the class, {@code fine} (100 classes, null means this) or {@code coarse} (20) */
  public String cifar100Labels;
  /** quadratic only: the synthetic model's parameters (filled with the defaults when the dataset is quadratic) */
  public Quadratic quadratic;
  /** text only: the vocabulary size and sequence length (filled with the defaults when the dataset is text) */
  public Text text;
  /** seeds the held-out split, the random subsets and the label corruption; null = the run's seed */
  public Long seed;
  /** the training file's examples [from, to) that the held-out split and the training set are taken from; null = all */
  public Range trainRange;
  /** examples carved at random from the pool as the held-out split, disjoint from the training set; null or 0 = none */
  public Integer heldOutSize;
  /** train on this many of the examples left after the held-out split (null = all of them) */
  public Integer trainSize;
  /** how {@link #trainSize} examples are chosen: {@code first} (in file order) or {@code random} (seeded) */
  public String trainSelection = "first";
  /** the test file's examples [from, to) that the test set is taken from; null = all */
  public Range testRange;
  /** evaluate on this many of the test examples (null = all of them) */
  public Integer testSize;
  /** how {@link #testSize} examples are chosen: {@code first} or {@code random} (seeded) */
  public String testSelection = "first";
  /** fraction p in [0, 1] of training examples whose label is replaced by a uniformly random one; null = none */
  public Double labelNoise;
  /** size of the fixed train-eval subset of the training set */
  public int trainEvalSize = 5000;
  /** random (seeded) or first (the first trainEvalSize training examples) */
  public String trainEvalSelection = "random";

  /** A half-open index range [from, to) of a data file's examples; {@code to} null = up to the end. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Range {
    public int from = 0;
    public Integer to;

    public Range() {}

    public Range(int from, Integer to) {
      this.from = from;
      this.to = to;
    }
  }

  /**
   * The synthetic quadratic model of INSTRUMENTS.md §4 (paper 003 §4, §5.1): per-sample loss
   * ℓ_x(θ) = ½(θ − x)ᵀA(θ − x) with x ~ N(0, Σ), A = diag(a), the first {@code fastCount} of the {@code dim}
   * eigenvalues {@code fast} and the rest {@code slow}, and Σ = sigma²·I. The paper's numbers did not survive in
   * our copy of its text; these defaults only give two time scales 100 apart.
   */
  @JsonPropertyOrder({ "dim", "fast", "slow", "fastCount", "sigma", "samples", "testSamples", "linear" })
  public static class Quadratic {
    /** dimension d of θ and x */
    public int dim = 100;
    /** the eigenvalue of A on the fast coordinates */
    public double fast = 1.0;
    /** the eigenvalue of A on the slow coordinates */
    public double slow = 0.01;
    /** how many coordinates (the first ones) are fast; 0 ≤ fastCount ≤ dim */
    public int fastCount = 10;
    /** standard deviation of every coordinate of x (Σ = sigma²·I) */
    public double sigma = 1.0;
    /** number of training samples x drawn (the training file of this dataset) */
    public int samples = 10000;
    /** number of test samples x drawn independently of the training samples */
    public int testSamples = 2000;
    /**
     * true: the quadratic without its restoring force, ℓ_x(θ) = −xᵀAθ, whose batch gradient −A·x̄_B does not depend on
     * θ (the noise term of the quadratic's gradient A(θ − x̄_B)); paper 003's Lemma 2 (equivalent schedules of
     * averages) is exact there. Absent or false: the quadratic.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Boolean linear;
  }

  /**
   * A folder of text files, one example per file: {@code train/<class>/*.txt} and {@code test/<class>/*.txt}, the
   * classes being the subfolder names (sorted; the same in both). Each text is lower-cased and split into words
   * (runs of letters, digits and apostrophes); the {@code vocab} − 2 most frequent training words (ties in alphabetical
   * order) get ids 2…, id 1 is any other word and id 0 is padding. An example is its first {@code length} word ids,
   * padded with 0 at the front (so the last time step is the last word).
   */
  @JsonPropertyOrder({ "vocab", "length" })
  public static class Text {
    /** ids in the vocabulary, padding (0) and unknown (1) included */
    public int vocab = 5000;
    /** words per example */
    public int length = 100;
  }
}
