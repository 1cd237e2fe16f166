package org.trajlab.ui;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Names runs by what differs between their specs: the fields (leaves of spec.json, e.g. {@code optimizer.lr}) whose
 * values are not the same in every spec, each as its last name and value ("lr 0.1, batchSize 128"; the whole path
 * where two differing fields share a last name, e.g. {@code probes[0].type}). The spec's {@code name} counts only
 * when nothing else differs, and a field that differs exactly as an earlier one does (a default resolved from it)
 * is left out; runs whose specs are the same are named by their folders. A field one spec lacks is "none" there.
 */
public final class SpecDifferences {
  /** what a spec without a field shows for it */
  public static final String NONE = "none";

  private SpecDifferences() {}

  /** the leaf fields of {@code spec} as path -> value text, in document order */
  public static Map<String, String> leaves(JsonNode spec) {
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", spec, out);
    return out;
  }

  private static void flatten(String path, JsonNode node, Map<String, String> out) {
    if (node == null || node.isNull()) {
      return; // absent and null are the same to a reader of the spec
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.put(path, "[]");
      }
      for (int i = 0; i < node.size(); i++) {
        flatten(path + "[" + i + "]", node.get(i), out);
      }
    } else {
      out.put(path, node.asText());
    }
  }

  /** the paths whose values differ between {@code specs}, in the order they first appear */
  public static List<String> differing(List<JsonNode> specs) {
    List<Map<String, String>> all = specs.stream().map(SpecDifferences::leaves).toList();
    Set<String> paths = new LinkedHashSet<>();
    all.forEach(m -> paths.addAll(m.keySet()));
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      String first = all.get(0).get(p);
      if (all.stream().anyMatch(m -> !Objects.equals(first, m.get(p)))) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * the differing fields a legend names: {@link #differing}, less {@code name} when other fields differ (the name
   * says what a run is for, the other fields how it differs), less a field whose values repeat an earlier one's run
   * for run (a default the spec resolves from another field, e.g. {@code batchNorm.batchSize} from
   * {@code training.batchSize})
   */
  public static List<String> named(List<JsonNode> specs) {
    List<String> paths = new ArrayList<>(differing(specs));
    if (paths.size() > 1) {
      paths.remove("name");
    }
    List<Map<String, String>> all = specs.stream().map(SpecDifferences::leaves).toList();
    List<List<String>> seen = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (String p : paths) {
      List<String> values = all.stream().map(m -> m.getOrDefault(p, NONE)).toList();
      if (!seen.contains(values)) {
        seen.add(values);
        kept.add(p);
      }
    }
    return kept;
  }

  /**
   * one label per spec (same order): the fields of {@link #named} and their values; {@code fallback} (the run
   * folders' names) where specs are identical. Labels are unique: a label two runs share gets the fallback in
   * brackets.
   */
  public static List<String> labels(List<JsonNode> specs, List<String> fallback) {
    List<String> paths = named(specs);
    List<Map<String, String>> all = specs.stream().map(SpecDifferences::leaves).toList();
    Map<String, Integer> lastNames = new HashMap<>();
    for (String p : paths) {
      lastNames.merge(lastName(p), 1, Integer::sum);
    }
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      List<String> parts = new ArrayList<>();
      for (String p : paths) {
        String key = lastNames.get(lastName(p)) > 1 ? p : lastName(p);
        parts.add(key + " " + all.get(i).getOrDefault(p, NONE));
      }
      labels.add(parts.isEmpty() ? fallback.get(i) : String.join(", ", parts));
    }
    for (int i = 0; i < labels.size(); i++) {
      String l = labels.get(i);
      if (labels.indexOf(l) != labels.lastIndexOf(l) && !l.equals(fallback.get(i))) {
        for (int j = labels.size() - 1; j >= 0; j--) {
          if (labels.get(j).equals(l)) {
            labels.set(j, l + " [" + fallback.get(j) + "]");
          }
        }
      }
    }
    return labels;
  }

  /** "lr" of "optimizer.lr", "type" of "probes[0].type", "probes" of "probes[0]" */
  static String lastName(String path) {
    String p = path.replaceAll("\\[\\d+\\]$", "");
    int dot = p.lastIndexOf('.');
    return dot < 0 ? p : p.substring(dot + 1);
  }
}
