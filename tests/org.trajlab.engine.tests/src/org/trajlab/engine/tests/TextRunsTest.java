package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.engine.data.TextFolder;

/**
 * The LSTM text classifier on a folder of text files (issue 3's stretch item): the tokenizer, vocabulary and
 * encoding by hand, and runs in FLOAT and DOUBLE whose loss falls on two separable classes; bad folders are one
 * sentence.
 */
public class TextRunsTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;
  static Path folder;

  /** class "neg" draws its words from the first half of a word list, "pos" from the second, plus shared words */
  static Path writeTexts(Path dir, int perClass, int perClassTest, long seed) throws IOException {
    String[] own = { "awful", "bad", "boring", "dull", "poor", "weak", "great", "good", "lovely", "fine", "superb", "fun" };
    String[] shared = { "the", "film", "a", "was", "and", "it" };
    Random r = new Random(seed);
    for (String split : List.of("train", "test")) {
      int n = split.equals("train") ? perClass : perClassTest;
      for (int k = 0; k < 2; k++) {
        Path c = Files.createDirectories(dir.resolve(split).resolve(k == 0 ? "neg" : "pos"));
        for (int i = 0; i < n; i++) {
          StringBuilder b = new StringBuilder();
          int words = 5 + r.nextInt(10);
          for (int w = 0; w < words; w++) {
            b.append(r.nextInt(3) == 0 ? own[k * 6 + r.nextInt(6)] : shared[r.nextInt(shared.length)]).append(' ');
          }
          Files.writeString(c.resolve(i + ".txt"), b.toString().toUpperCase());
        }
      }
    }
    return dir;
  }

  @BeforeAll
  static void setUp() throws Exception {
    runner = TestData.runner();
    folder = writeTexts(tmp.resolve("texts"), 120, 30, 1);
  }

  @Test
  public void wordsVocabularyAndEncoding() {
    assertEquals(List.of("it's", "a", "film", "2024"), TextFolder.words("It's a FILM, 2024!"));
    Map<String, Integer> ids = TextFolder.vocabulary(List.of(List.of("b", "a", "b", "c"), List.of("a", "b", "d")), 4);
    assertEquals(Map.of("b", 2, "a", 3), ids, "b (3 times) then a (2); c and d tie at 1 and do not fit");
    assertEquals(List.of(0f, 0f, 2f, 3f, 1f),
        List.of(box(TextFolder.encode(List.of("b", "a", "zebra"), ids, 5))), "front padding, unknown = 1");
    assertEquals(List.of(2f, 3f), List.of(box(TextFolder.encode(List.of("b", "a", "zebra"), ids, 2))), "first words kept");
  }

  private static Float[] box(float[] f) {
    Float[] b = new Float[f.length];
    for (int i = 0; i < f.length; i++) b[i] = f[i];
    return b;
  }

  static RunSpec spec(String precision) throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"text\",\"precision\":\"" + precision + "\",\"model\":{\"type\":\"lstm\","
        + "\"hidden\":[16],\"embedding\":8},\"data\":{\"dataset\":\"text\",\"text\":{\"vocab\":20,\"length\":12},"
        + "\"trainEvalSize\":240},\"optimizer\":{\"type\":\"momentum\",\"lr\":0.1,\"momentum\":0.9},"
        + "\"training\":{\"steps\":60,\"batchSize\":20},\"eval\":{\"every\":60,\"sets\":[\"train-eval\",\"test\"]}}");
    s.data.dir = folder.toString();
    return s;
  }

  @Test
  public void theLstmLearnsTwoSeparableClassesInBothPrecisions() throws Exception {
    for (String precision : List.of("float", "double")) {
      RunFolder f = RunFolder.create(tmp.resolve("run-" + precision));
      RunOutcome o = runner.run(spec(precision), f, RunMonitor.NONE);
      assertEquals(RunState.DONE, o.state(), o.message());
      List<MetricRow> loss = TestData.rows(f, "eval", "loss_train_eval");
      assertTrue(loss.get(1).value() < 0.8 * loss.get(0).value(), precision + ": the loss falls " + loss);
      double acc = TestData.rows(f, "eval", "acc_test").get(1).value();
      assertTrue(acc > 0.7, precision + ": test accuracy " + acc);
      assertTrue(Files.readString(f.file(RunFolder.LOG)).contains("12 words per example, vocabulary 20"));
    }
  }

  @Test
  public void badTextInputIsOneSentence() throws Exception {
    RunSpec noTest = spec("float");
    Path half = Files.createDirectories(tmp.resolve("half/train/a"));
    Files.writeString(half.resolve("1.txt"), "x");
    Files.createDirectories(tmp.resolve("half/train/b"));
    Files.writeString(tmp.resolve("half/train/b/1.txt"), "y");
    noTest.data.dir = tmp.resolve("half").toString();
    SpecException e = assertThrows(SpecException.class, () -> runner.check(noTest));
    assertEquals("The data folder " + tmp.resolve("half") + " has no test/ folder; a text dataset needs train/<class>/*.txt"
        + " and test/<class>/*.txt, one folder per class.", e.getMessage());
    RunSpec mlp = spec("float");
    mlp.model = Specs.parse("{\"model\":{\"type\":\"mlp\"}}").model;
    e = assertThrows(SpecException.class, () -> runner.check(mlp));
    assertEquals("The text data set gives word ids, which only model.type 'lstm' reads; set model.type to 'lstm'.",
        e.getMessage());
    RunSpec images = Specs.parse("{\"model\":{\"type\":\"lstm\"}}");
    e = assertThrows(SpecException.class, () -> runner.check(images));
    assertEquals("Field 'model.type' is 'lstm', which reads the word ids of a text data set (data.dataset 'text'), but"
        + " the data set is 'fashion-mnist'.", e.getMessage());
    ModelSpec twoLayers = Specs.parse("{\"model\":{\"type\":\"lstm\",\"hidden\":[8,8]}}").model;
    e = assertThrows(SpecException.class, () -> org.trajlab.engine.models.ModelTypes.check(twoLayers));
    assertEquals("Field 'model.hidden' of an lstm must list one width (its LSTM units), but it lists [8, 8].", e.getMessage());
  }
}
