package org.trajlab.app.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

/**
 * The bad inputs a researcher meets, through {@code trajlab run} as they would type it: every row exits 2 with
 * exactly one line on stderr, that row's sentence, no stack trace, and no run folder left behind. Placeholders:
 * {tmp} the test's folder, {ck} a checkpoint of the model {"hidden":[16]} written by a real run.
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
      unknown preset | {"model":{"preset":"lenet"}} | Field 'model.preset' must be one of bn4, deep20, fmnist-300-100, mnist256, but it is 'lenet'.
      unknown precision | {"precision":"half"} | Field 'precision' must be one of double, float, but it is 'half'.
      unknown optimizer | {"optimizer":{"type":"adam"}} | Field 'optimizer.type' must be one of gd, gd-noise, momentum, sgd, but it is 'adam'.
      negative learning rate | {"optimizer":{"lr":-0.5}} | Field 'optimizer.lr' (the learning rate) must be a positive number, but it is -0.5.
      unknown schedule | {"optimizer":{"lrSchedule":{"type":"cosine"}}} | Field 'optimizer.lrSchedule.type' must be one of constant, cyclic, plateau, step, trapezoid, two-level, but it is 'cosine'.
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
      unknown probe | {"probes":[{"type":"sharpness"}]} | Field 'probes[0].type' must be one of walk, but it is 'sharpness'.
      unknown probe parameter | {"probes":[{"type":"walk","params":{"pointz":3}}]} | Unknown field 'pointz' in 'probes[0].params'; allowed fields: barrierTol, points, set.
      walk barrier tolerance of 1 | {"probes":[{"type":"walk","params":{"barrierTol":1}}]} | Field 'probes[0].params.barrierTol' must be a number between 0 and 1, but it is 1.0.
      walk without updates | {"training":{"steps":0},"probes":[{"type":"walk"}]} | Probe 'walk' (probes[0]) measures along updates, but this run has zero training steps; give training.steps or training.epochs.
      missing checkpoint | {"start":{"checkpoint":"{tmp}/no-checkpoint"}} | The checkpoint folder {tmp}/no-checkpoint does not exist (start.checkpoint).
      checkpoint from another model | {"model":{"hidden":[32]},"start":{"checkpoint":"{ck}"}} | The checkpoint {ck} was written by the model {"type":"mlp","hidden":[16],"activation":"relu","batchNorm":false,"init":"xavier"} but this spec's model is {"type":"mlp","hidden":[32],"activation":"relu","batchNorm":false,"init":"xavier"}; a run can start only from a checkpoint of the same model.
      """;

  static Path checkpoint;

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
    // a real checkpoint of a 784-16-10 MLP
    RunFolder f = RunFolder.create(tmp.resolve("ck-run"));
    RunOutcome o = CliTest.runner.run(Specs.parse("{\"model\":{\"hidden\":[16]},\"data\":{\"trainSize\":200,"
        + "\"trainEvalSize\":100},\"training\":{\"steps\":2,\"batchSize\":50},\"checkpoints\":{\"every\":2},"
        + "\"probes\":[]}"), f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    checkpoint = f.file("checkpoints/step-00000002");
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
}
