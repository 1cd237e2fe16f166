package org.trajlab.app.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.app.TrajlabCli;
import org.trajlab.engine.optim.Npy;

/**
 * The bad inputs a researcher meets, through {@code trajlab run} as they would type it: every row exits 2 with
 * exactly one line on stderr, that row's sentence, no stack trace, and no run folder left behind. Placeholders:
 * {tmp} the test's folder, {ck} a checkpoint at update 2 of the model {"hidden":[16]} written by a real run.
 * <p>
 * Damaged checkpoints are bad input like any other ({@link #CHECKPOINTS}): each row damages a copy of a real
 * checkpoint and starts a run from it ({@code start.checkpoint}) or resumes the run that holds it
 * ({@code --resume}); it exits 2 (3 when the parameters are not finite) with one sentence, writes no run folder and
 * leaves the resumed run as it was.
 */
public class BadInputTableTest {
  @org.junit.jupiter.api.io.TempDir
  static Path tmp;

  /** name | spec JSON | the sentence */
  static final String TABLE = """
      unknown field | {"optimizer":{"lr":0.1,"momentun":0.9}} | Unknown field 'momentun' in 'optimizer'; allowed fields: gdChunk, lr, lrSchedule, momentum, nesterov, noiseBatches, noiseFactor, type, weightDecay.
      wrong field type | {"seed":"zero"} | Field 'seed' must be a whole number, not "zero".
      text for a number | {"training":{"batchSize":"big"}} | Field 'training.batchSize' must be a whole number, not "big".
      list for an object | {"model":[1,2]} | Field 'model' must be a JSON object, not a list.
      not JSON | {"seed": 1,,} | The spec is not valid JSON (line 1, column 12): Unexpected character (',' (code 44)): was expecting double-quote to start field name.
      unknown model | {"model":{"type":"transformer"}} | Field 'model.type' must be one of lstm, mlp, quadratic, resnet, simplecnn, softmax, vgg11, but it is 'transformer'.
      negative layer width | {"model":{"hidden":[300,-1]}} | Field 'model.hidden' must list positive layer widths, but entry 1 is -1.
      unknown data set | {"data":{"dataset":"imagenet"}} | Field 'data.dataset' must be one of cifar10, cifar100, fashion-mnist, mnist, quadratic, text, but it is 'imagenet'.
      unknown batch schedule | {"training":{"batchSchedule":{"type":"ramp"}}} | Field 'training.batchSchedule.type' must be one of constant, mirror, but it is 'ramp'.
      unknown preset | {"model":{"preset":"lenet"}} | Field 'model.preset' must be one of bn4, deep20, fmnist-300-100, mnist256, but it is 'lenet'.
      unknown precision | {"precision":"half"} | Field 'precision' must be one of double, float, but it is 'half'.
      unknown optimizer | {"optimizer":{"type":"adam"}} | Field 'optimizer.type' must be one of gd, gd-noise, momentum, sgd, but it is 'adam'.
      negative learning rate | {"optimizer":{"lr":-0.5}} | Field 'optimizer.lr' (the learning rate) must be a positive number, but it is -0.5.
      unknown schedule | {"optimizer":{"lrSchedule":{"type":"cosine"}}} | Field 'optimizer.lrSchedule.type' must be one of constant, cyclic, ema, plateau, step, swa, trapezoid, two-level, twopoint, but it is 'cosine'.
      VGG on 28x28 images | {"model":{"type":"vgg11"}} | The model type vgg11 needs images of at least 32x32 for its five 2x2 poolings, but the data's images are 28x28.
      classes unlike the data | {"model":{"type":"softmax","classes":100}} | Field 'model.classes' is 100, but the data has 10 classes; leave it out or set it to 10.
      label noise above 1 | {"data":{"labelNoise":1.5}} | Field 'data.labelNoise' (the fraction of training labels replaced by random labels) must be a number from 0 to 1, but it is 1.5.
      label noise below 0 | {"data":{"labelNoise":-0.1}} | Field 'data.labelNoise' (the fraction of training labels replaced by random labels) must be a number from 0 to 1, but it is -0.1.
      batch larger than the data | {"training":{"batchSize":100000}} | Field 'training.batchSize' is 100000 but the training set has only 60000 examples; choose at most 60000.
      missing data folder | {"data":{"dir":"/nonexistent/fmnist"}} | The data folder /nonexistent/fmnist does not exist; set 'data.dir' to a folder with the Fashion-MNIST IDX files or install the Debian package dataset-fashion-mnist.
      corrupt IDX file | {"data":{"dataset":"mnist","dir":"{tmp}/idx-magic"}} | The file {tmp}/idx-magic/train-images-idx3-ubyte is not an IDX image file (magic number 2049, expected 2051).
      truncated IDX file | {"data":{"dataset":"mnist","dir":"{tmp}/idx-short"}} | The file {tmp}/idx-short/t10k-images-idx3-ubyte is truncated: it declares 10 images of 28x28 but holds only 100 of their 7840 pixel bytes.
      truncated CIFAR file | {"data":{"dataset":"cifar10","dir":"{tmp}/cifar-short"}} | The file {tmp}/cifar-short/data_batch_1.bin has 6141 bytes, which is not a whole number of CIFAR-10 records of 3073 bytes (1 label byte and 3072 pixel bytes), so it is truncated or not a CIFAR-10 binary file.
      held-out set not carved | {"eval":{"sets":["train-eval","held-out"]}} | Field 'eval.sets' asks for 'held-out' but no held-out split is carved; set data.heldOutSize.
      unknown probe | {"probes":[{"type":"sharpness"}]} | Field 'probes[0].type' must be one of averaging, walk, but it is 'sharpness'.
      unknown probe parameter | {"probes":[{"type":"walk","params":{"pointz":3}}]} | Unknown field 'pointz' in 'probes[0].params'; allowed fields: barrierTol, points, set.
      walk barrier tolerance of 1 | {"probes":[{"type":"walk","params":{"barrierTol":1}}]} | Field 'probes[0].params.barrierTol' must be a number between 0 and 1, but it is 1.0.
      walk without updates | {"training":{"steps":0},"probes":[{"type":"walk"}]} | Probe 'walk' (probes[0]) measures along updates, but this run has zero training steps; give training.steps or training.epochs.
      missing checkpoint | {"start":{"checkpoint":"{tmp}/no-checkpoint"}} | The checkpoint folder {tmp}/no-checkpoint does not exist (start.checkpoint).
      checkpoint from another model | {"model":{"hidden":[32]},"start":{"checkpoint":"{ck}"}} | The checkpoint {ck} was written by the model {"type":"mlp","hidden":[16],"activation":"relu","batchNorm":false,"init":"xavier"} but this spec's model is {"type":"mlp","hidden":[32],"activation":"relu","batchNorm":false,"init":"xavier"}; a run can start only from a checkpoint of the same model.
      steps below the checkpoint | {"model":{"hidden":[16]},"training":{"steps":1},"start":{"checkpoint":"{ck}"}} | Field 'training.steps' is 1, but the checkpoint {ck} is already at update 2 (training.steps counts the run's updates from 0, the checkpoint's included); give more than 2, or 0 for a probe-only run at the checkpoint.
      epochs that end at the checkpoint | {"model":{"hidden":[16]},"data":{"trainSize":100,"trainEvalSize":50},"training":{"epochs":1,"batchSize":50},"start":{"checkpoint":"{ck}"}} | Field 'training.epochs' is 1 (2 updates), but the checkpoint {ck} is already at update 2 (epochs count from the start of the run, the checkpoint's included); give more epochs, or training.steps 0 for a probe-only run at the checkpoint.
      """;

  /**
   * name | how the checkpoint is reached: start (a new run, start.checkpoint) or resume (--resume of its run) |
   * the damage: FILE cut BYTES, FILE text TEXT, FILE header DICT (the data kept), FILE length N (a whole float32
   * vector of N zeros), FILE nan (every value NaN), FILE delete (FILE relative to the checkpoint) | exit code | the
   * sentence ({ck} the checkpoint, {run} the resumed run). The model has 12730 parameters, stored as float32 after a
   * header of 128 bytes.
   */
  static final String CHECKPOINTS = """
      truncated parameters | start | params.npy cut 1000 | 2 | The checkpoint {ck} is damaged: params.npy is truncated (the header says 12730 values, the file holds 218).
      truncated parameters, resumed | resume | params.npy cut 1000 | 2 | The checkpoint {ck} is damaged: params.npy is truncated (the header says 12730 values, the file holds 218).
      a header claiming 10^12 values | start | params.npy header {'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000,), } | 2 | The checkpoint {ck} is damaged: params.npy is truncated (the header says 1000000000000 values, the file holds 12730).
      a header claiming 10^12 values, resumed | resume | params.npy header {'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000,), } | 2 | The checkpoint {ck} is damaged: params.npy is truncated (the header says 1000000000000 values, the file holds 12730).
      integer parameters | start | params.npy header {'descr': '<i4', 'fortran_order': False, 'shape': (12730,), } | 2 | The checkpoint {ck} is damaged: params.npy holds values of type '<i4', not little-endian float32 or float64 ('<f4' or '<f8').
      big-endian parameters | resume | params.npy header {'descr': '>f4', 'fortran_order': False, 'shape': (12730,), } | 2 | The checkpoint {ck} is damaged: params.npy holds values of type '>f4', not little-endian float32 or float64 ('<f4' or '<f8').
      a matrix of parameters | start | params.npy header {'descr': '<f4', 'fortran_order': False, 'shape': (1273, 10), } | 2 | The checkpoint {ck} is damaged: params.npy has shape (1273, 10), not a vector (one dimension).
      not a .npy file | resume | params.npy text 0.1 0.2 0.3 | 2 | The checkpoint {ck} is damaged: params.npy is not a NumPy .npy file (it does not start with the .npy magic string).
      parameters of another model | start | params.npy length 7850 | 2 | The checkpoint {ck} is damaged: params.npy holds 7850 values, but state.json says the model has 12730 parameters.
      corrupt state | start | state.json text {"step": 2, "epoch": 1, "po | 2 | The checkpoint {ck} is damaged: state.json is cut short (its JSON ends too early).
      corrupt state, resumed | resume | state.json text {"step": 4, "epoch": 1, "po | 2 | The checkpoint {ck} is damaged: state.json is cut short (its JSON ends too early).
      state that is not JSON | start | state.json text step = 2 | 2 | The checkpoint {ck} is damaged: state.json is not valid JSON (line 1, column 6).
      empty state | resume | state.json text | 2 | The checkpoint {ck} is damaged: state.json is empty or not a JSON object.
      NaN parameters | start | params.npy nan | 3 | The checkpoint {ck} holds non-finite parameters (12730 NaN): the run that wrote it had diverged; start from an earlier checkpoint.
      NaN parameters, resumed | resume | params.npy nan | 3 | The checkpoint {ck} holds non-finite parameters (12730 NaN): the run that wrote it had diverged; start from an earlier checkpoint.
      NaN momentum | start | velocity.npy nan | 3 | The checkpoint {ck} holds non-finite values in velocity.npy (12730 NaN): the run that wrote it had diverged; start from an earlier checkpoint.
      momentum of the wrong length | start | velocity.npy length 100 | 2 | The checkpoint {ck} is damaged: velocity.npy holds 100 values, but the model has 12730 parameters.
      truncated momentum | resume | velocity.npy cut 500 | 2 | The checkpoint {ck} is damaged: velocity.npy is truncated (the header says 12730 values, the file holds 93).
      previous gradient of the wrong length | resume | prev_grad.npy length 12731 | 2 | The checkpoint {ck} is damaged: prev_grad.npy holds 12731 values, but the model has 12730 parameters.
      truncated previous gradient | start | prev_grad.npy cut 30000 | 2 | The checkpoint {ck} is damaged: prev_grad.npy is truncated (the header says 12730 values, the file holds 7468).
      truncated theta0 | start | theta0.npy cut 100 | 2 | The checkpoint {ck} is damaged: theta0.npy is truncated (it ends inside its header).
      theta0 of the wrong length | resume | theta0.npy length 12000 | 2 | The checkpoint {ck} is damaged: theta0.npy holds 12000 values, but the model has 12730 parameters.
      theta0 missing, resumed | resume | theta0.npy delete | 2 | The checkpoint {ck} is damaged: theta0.npy is missing.
      metrics cut since the checkpoint | resume | ../../metrics.csv cut 100 | 2 | The run {run} cannot be resumed from its checkpoint step-00000004: metrics.csv is shorter now than when the checkpoint was written, so it was cut or replaced since.
      """;

  static Path checkpoint;
  /** a cancelled run of that model with checkpoints at updates 2 and 4 */
  static Path cancelledRun;

  static Stream<Arguments> table() {
    return TABLE.lines().filter(l -> !l.isBlank()).map(l -> {
      String[] c = l.split(" \\| ", 3);
      return Arguments.of(c[0].trim(), c[1].trim(), c[2].trim());
    });
  }

  @BeforeAll
  static void fixtures() throws Exception {
    CliTest.engine();
    // IDX: a label file's magic number (2049) where the image file's (2051) belongs
    Path magic = Files.createDirectories(tmp.resolve("idx-magic"));
    idx(magic, "train-images-idx3-ubyte", 2049, 60, 28, 28, 60 * 784);
    // IDX: a test image file cut short
    Path shortIdx = Files.createDirectories(tmp.resolve("idx-short"));
    idx(shortIdx, "train-images-idx3-ubyte", 2051, 60, 28, 28, 60 * 784);
    idx(shortIdx, "train-labels-idx1-ubyte", 2049, 60, 0, 0, 60);
    idx(shortIdx, "t10k-images-idx3-ubyte", 2051, 10, 28, 28, 100);
    idx(shortIdx, "t10k-labels-idx1-ubyte", 2049, 10, 0, 0, 10);
    for (String f : List.of("train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
      if (!Files.exists(magic.resolve(f))) Files.copy(shortIdx.resolve(f), magic.resolve(f));
    }
    // CIFAR-10: two records of 3073 bytes minus 5
    Path cifar = Files.createDirectories(tmp.resolve("cifar-short"));
    for (String f : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
        "data_batch_5.bin", "test_batch.bin")) {
      Files.write(cifar.resolve(f), new byte[f.equals("data_batch_1.bin") ? 2 * 3073 - 5 : 3073]);
    }
    // real checkpoints of a 784-16-10 MLP with momentum (so velocity.npy and prev_grad.npy are there), in a run
    // cancelled after 4 of its 6 updates
    RunFolder f = RunFolder.create(tmp.resolve("ck-run"));
    RunOutcome o = CliTest.runner.run(Specs.parse("{\"model\":{\"hidden\":[16]},\"data\":{\"trainSize\":200,"
        + "\"trainEvalSize\":100},\"optimizer\":{\"type\":\"momentum\",\"lr\":0.05,\"momentum\":0.9},"
        + "\"training\":{\"steps\":6,\"batchSize\":50},\"checkpoints\":{\"every\":2},\"probes\":[]}"), f, new RunMonitor() {
          int calls;

          @Override
          public boolean isCancelled() {
            return ++calls > 4;
          }
        });
    assertEquals(RunState.CANCELLED, o.state(), o.message());
    assertEquals(4, o.steps());
    checkpoint = f.file("checkpoints/step-00000002");
    cancelledRun = f.dir();
  }

  static Stream<Arguments> checkpoints() {
    return CHECKPOINTS.lines().filter(l -> !l.isBlank()).map(l -> {
      String[] c = l.split(" \\| ", 5);
      return Arguments.of(c[0].trim(), c[1].trim(), c[2].trim(), Integer.parseInt(c[3].trim()), c[4].trim());
    });
  }

  /** an IDX file: magic, count, (rows, cols for images), then {@code bytes} zero bytes of data */
  static void idx(Path dir, String name, int magic, int n, int rows, int cols, int bytes) throws IOException {
    boolean images = magic == 2051 || name.contains("images");
    ByteBuffer b = ByteBuffer.allocate((images ? 16 : 8) + bytes);
    b.putInt(magic).putInt(n);
    if (images) b.putInt(rows).putInt(cols);
    Files.write(dir.resolve(name), b.array());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  public void badInputExitsTwoWithOneSentence(String name, String json, String sentence) throws Exception {
    String t = tmp.toString();
    String ck = checkpoint.toString();
    Path out = tmp.resolve("run-" + name.replace(' ', '-'));
    Path spec = Files.writeString(tmp.resolve(name.replace(' ', '-') + ".json"), json.replace("{tmp}", t).replace("{ck}", ck));
    CliTest.Result r = CliTest.cli("run", spec.toString(), "--out", out.toString());
    assertEquals(TrajlabCli.BAD_SPEC, r.code(), r.err());
    assertEquals(List.of("[trajlab] " + sentence.replace("{tmp}", t).replace("{ck}", ck)), r.err().lines().toList());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    assertFalse(Files.exists(out.resolve(RunFolder.METRICS)), "no run folder is left behind");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checkpoints")
  public void aDamagedCheckpointIsBadInput(String name, String how, String damage, int code, String sentence) throws Exception {
    String slug = name.replaceAll("[^A-Za-z0-9]+", "-");
    Path ck;
    Path run = null;
    CliTest.Result r;
    if (how.equals("start")) {
      ck = copy(checkpoint, tmp.resolve("ck-" + slug));
      damage(ck, damage);
      Path out = tmp.resolve("run-" + slug);
      Path spec = Files.writeString(tmp.resolve(slug + ".json"), "{\"model\":{\"hidden\":[16]},\"data\":{\"trainSize\":200,"
          + "\"trainEvalSize\":100},\"training\":{\"steps\":6,\"batchSize\":50},\"probes\":[],\"start\":{\"checkpoint\":\""
          + ck + "\"}}");
      r = CliTest.cli("run", spec.toString(), "--out", out.toString());
      assertFalse(Files.exists(out), "no run folder is left behind");
    } else {
      run = copy(cancelledRun, tmp.resolve("res-" + slug));
      ck = run.resolve("checkpoints/step-00000004");
      damage(ck, damage);
      Map<Path, String> before = contents(run);
      r = CliTest.cli("run", "--resume", run.toString());
      assertEquals(before, contents(run), "the resumed run is left as it was");
    }
    assertEquals(code, r.code(), r.err());
    assertEquals(List.of("[trajlab] " + sentence.replace("{ck}", ck.toString()).replace("{run}", String.valueOf(run))),
        r.err().lines().toList());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
  }

  /** applies one row's damage (see {@link #CHECKPOINTS}) to a file of the checkpoint {@code ck} */
  static void damage(Path ck, String how) throws IOException {
    String[] w = (how + " ").split(" ", 3);
    Path f = ck.resolve(w[0]);
    String arg = w[2].strip();
    switch (w[1]) {
      case "cut" -> {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
          ch.truncate(Long.parseLong(arg));
        }
      }
      case "text" -> Files.writeString(f, arg);
      case "header" -> {
        byte[] all = Files.readAllBytes(f);
        int data = 10 + (Byte.toUnsignedInt(all[8]) | Byte.toUnsignedInt(all[9]) << 8);
        int unpadded = 10 + arg.length() + 1;
        String header = arg + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + all.length - data).order(ByteOrder.LITTLE_ENDIAN);
        b.put(all, 0, 8).putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        b.put(all, data, all.length - data);
        Files.write(f, b.array());
      }
      case "length" -> Npy.write(f, new double[Integer.parseInt(arg)], true);
      case "nan" -> {
        double[] v = Npy.read(f);
        Arrays.fill(v, Double.NaN);
        Npy.write(f, v, true);
      }
      case "delete" -> Files.delete(f);
      default -> throw new IllegalArgumentException("unknown damage: " + how);
    }
  }

  /** every file of a folder and its bytes (as text, for a readable difference) */
  static Map<Path, String> contents(Path dir) throws IOException {
    Map<Path, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    return m;
  }

  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(q);
        else Files.copy(p, q);
      }
    }
    return to;
  }
}
