package org.trajlab.app.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.spec.Specs;

/**
 * {@code trajlab equivalent}: from a checkpoint of the quadratic without restoring force (gradients independent of
 * θ, where paper 003's Lemma 2 is exact), (a) constant η with the average kept and (b) its equivalent schedule end at
 * the same point; the summary and the CSV report both side by side. Bad input is one sentence, exit 2.
 */
public class EquivalentCliTest {
  @TempDir
  static Path tmp;
  static Path checkpoint;

  static String spec(long steps, String start) {
    return "{\"name\":\"lin\",\"precision\":\"double\",\"model\":{\"type\":\"quadratic\",\"init\":\"normal\"},"
        + "\"data\":{\"dataset\":\"quadratic\",\"quadratic\":{\"dim\":8,\"fast\":1.0,\"slow\":0.05,\"fastCount\":3,"
        + "\"sigma\":0.5,\"samples\":500,\"testSamples\":100,\"linear\":true},\"trainEvalSize\":500},"
        + "\"optimizer\":{\"type\":\"sgd\",\"lr\":0.2},\"training\":{\"steps\":" + steps + ",\"batchSize\":10},"
        + "\"eval\":{\"every\":" + steps + ",\"sets\":[\"train-eval\",\"test\"]},\"checkpoints\":{\"end\":true}"
        + (start == null ? "" : ",\"start\":{\"checkpoint\":\"" + start + "\"}") + "}";
  }

  @BeforeAll
  static void base() throws Exception {
    CliTest.engine();
    Path base = tmp.resolve("base");
    CliTest.Result r = CliTest.cli("run", Files.writeString(tmp.resolve("base.json"), spec(25, null)).toString(), "--out", base.toString());
    assertEquals(0, r.code(), r.err());
    checkpoint = base.resolve("checkpoints/step-00000025");
  }

  @SuppressWarnings("unchecked")
  void pairCoincides(String average, String... options) throws Exception {
    Path s = Files.writeString(tmp.resolve(average + ".json"), spec(85, checkpoint.toString()));
    Path out = tmp.resolve("pair-" + average);
    String[] args = new String[4 + options.length + 2];
    args[0] = "equivalent";
    args[1] = s.toString();
    args[2] = "--average";
    args[3] = average;
    System.arraycopy(options, 0, args, 4, options.length);
    args[args.length - 2] = "--out";
    args[args.length - 1] = out.toString();
    CliTest.Result r = CliTest.cli(args);
    assertEquals(0, r.code(), r.err());
    assertEquals(out.toAbsolutePath().toString(), r.out().strip());
    Map<String, Object> summary = Specs.json().readValue(out.resolve("summary.json").toFile(), Map.class);
    double dist = ((Number) summary.get("param_distance")).doubleValue();
    double constant = ((Number) summary.get("param_distance_constant_endpoint")).doubleValue();
    Map<String, Object> loss = (Map<String, Object>) ((Map<String, Object>) summary.get("evaluations")).get("loss_test");
    double diff = ((Number) loss.get("difference")).doubleValue();
    System.out.printf(java.util.Locale.ROOT, "trajlab equivalent --average %s: |avg(a) - end(b)| = %.3e (constant endpoint %.3e"
        + " away), test loss %.12f vs %.12f%n", average, dist, constant, loss.get("a_average"), loss.get("b_schedule_endpoint"));
    assertTrue(dist < 1e-10, average + ": " + dist);
    assertTrue(Math.abs(diff) < 1e-10, average + ": loss difference " + diff);
    assertTrue(constant > 1e-3, "the constant run's endpoint is elsewhere: " + constant);
    assertEquals(85, ((Number) summary.get("end_step")).intValue());
    List<String> csv = Files.readAllLines(out.resolve("comparison.csv"));
    assertEquals("quantity,a_average,b_schedule_endpoint,difference", csv.get(0));
    assertTrue(csv.stream().anyMatch(l -> l.startsWith("loss_train_eval,")), csv.toString());
    assertTrue(csv.stream().anyMatch(l -> l.startsWith("param_distance,")), csv.toString());
    assertTrue(Files.isRegularFile(out.resolve("a-constant/metrics.csv")) && Files.isRegularFile(out.resolve("b-schedule/metrics.csv")));
  }

  @Test
  public void emaPairCoincides() throws Exception {
    pairCoincides("ema", "--beta", "0.95");
  }

  @Test
  public void swaPairCoincides() throws Exception {
    pairCoincides("swa", "--snapshots", "6", "--every", "9");
  }

  @Test
  public void twoPointPairCoincides() throws Exception {
    pairCoincides("twopoint", "--k", "20");
  }

  @Test
  public void badInputIsOneSentence() throws Exception {
    Path s = Files.writeString(tmp.resolve("nostart.json"), spec(85, null));
    CliTest.Result r = CliTest.cli("equivalent", s.toString(), "--average", "ema", "--out", tmp.resolve("x").toString());
    assertEquals(2, r.code());
    assertEquals("[trajlab] Field 'start.checkpoint' must name the checkpoint both runs start from (the comparison needs the"
        + " same start and batch sequence).", r.err().strip());
    Path t = Files.writeString(tmp.resolve("start.json"), spec(85, checkpoint.toString()));
    r = CliTest.cli("equivalent", t.toString(), "--average", "median", "--out", tmp.resolve("y").toString());
    assertEquals(2, r.code());
    assertEquals("[trajlab] Option --average must be one of ema, swa, twopoint, multipoint, but it is 'median'.", r.err().strip());
    r = CliTest.cli("equivalent", t.toString(), "--average", "swa", "--snapshots", "20", "--every", "9", "--out", tmp.resolve("z").toString());
    assertEquals(2, r.code());
    assertEquals("[trajlab] Options --snapshots 20 and --every 9 reach back before step 0 from T = 85.", r.err().strip());
    assertFalse(Files.exists(tmp.resolve("x")) || Files.exists(tmp.resolve("y")) || Files.exists(tmp.resolve("z")), "nothing written");
  }
}
