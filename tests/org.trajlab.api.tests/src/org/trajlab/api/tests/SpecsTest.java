package org.trajlab.api.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;

public class SpecsTest {

  @Test
  public void emptyObjectTakesEveryDefault() throws Exception {
    RunSpec s = Specs.parse("{}");
    assertEquals("float", s.precision);
    assertEquals("mlp", s.model.type);
    assertEquals(null, s.model.hidden, "the engine fills in what a model type implies (ModelTypes.resolve)");
    assertEquals(0.1, s.optimizer.lr);
    assertEquals(100, s.training.batchSize);
    assertEquals(5000, s.data.trainEvalSize);
    assertTrue(s.probes.isEmpty());
  }

  @Test
  public void defaultExperimentIsValidAndRoundTrips() throws Exception {
    RunSpec s = Specs.defaultExperiment();
    assertEquals("default", s.name);
    assertEquals("walk", s.probes.get(0).type);
    assertEquals(2, s.probes.get(0).schedule.size());
    RunSpec back = Specs.parse(Specs.toJson(s));
    assertEquals(Specs.toJson(s), Specs.toJson(back));
  }

  @Test
  public void singleScheduleObjectIsAcceptedAsOneRule() throws Exception {
    RunSpec s = Specs.parse("{\"probes\":[{\"type\":\"walk\",\"schedule\":{\"every\":5}}]}");
    assertEquals(1, s.probes.get(0).schedule.size());
    assertEquals(5, s.probes.get(0).schedule.get(0).every);
  }

  /** every bad spec gives one sentence naming the field; no stack trace text */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"optimizer\":{\"lr\":-0.1}}|optimizer.lr|'optimizer.lr' (the learning rate) must be a positive number, but it is -0.1.",
      "{\"optimiser\":{}}|optimiser|Unknown field 'optimiser'; allowed fields: batchNorm, checkpoints, data, eval, model, name, optimizer, precision, probes, seed, start, training.",
      "{\"batchNorm\":{\"mode\":\"eval\"}}|batchNorm.mode|Field 'batchNorm.mode' must be one of inference, train, but it is 'eval'.",
      "{\"batchNorm\":{\"batchSize\":0}}|batchNorm.batchSize|Field 'batchNorm.batchSize' (the probes' batch size in train mode) must be a positive number of examples, but it is 0.",
      "{\"optimizer\":{\"rate\":1}}|optimizer.rate|Unknown field 'rate' in 'optimizer'; allowed fields: gdChunk, lr, lrSchedule, momentum, nesterov, noiseBatches, noiseFactor, type, weightDecay.",
      "{\"optimizer\":{\"lr\":\"fast\"}}|optimizer.lr|Field 'optimizer.lr' must be a number, not \"fast\".",
      "{\"precision\":\"half\"}|precision|Field 'precision' must be one of double, float, but it is 'half'.",
      "{\"training\":{\"batchSize\":0}}|training.batchSize|Field 'training.batchSize' must be a positive number of examples, but it is 0.",
      "{\"eval\":{\"sets\":[\"valid\"]}}|eval.sets|Field 'eval.sets' must be one of held-out, test, train-eval, train-full, but it is 'valid'.",
      "{\"probes\":[{\"type\":\"walk\",\"schedule\":{\"every\":0}}]}|probes[0].schedule.every|Field 'probes[0].schedule.every' must be a positive number of updates, but it is 0.",
      "{\"name\":\"my run\"}|name|Field 'name' must be a non-empty word of letters, digits, '.', '_' or '-', but it is my run." })
  public void badSpecsAreOneSentence(String json, String field, String message) {
    SpecException e = assertThrows(SpecException.class, () -> Specs.parse(json));
    assertEquals(field, e.field());
    assertTrue(e.getMessage().endsWith(message), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertFalse(e.getMessage().contains("Exception"));
  }

  @Test
  public void malformedJsonNamesLineAndColumn() {
    SpecException e = assertThrows(SpecException.class, () -> Specs.parse("{\n \"seed\": 1,,\n}"));
    assertTrue(e.getMessage().startsWith("The spec is not valid JSON (line 2"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
