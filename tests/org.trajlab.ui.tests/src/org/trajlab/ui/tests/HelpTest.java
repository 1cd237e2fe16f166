package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.xml.parsers.DocumentBuilderFactory;

import org.eclipse.help.HelpSystem;
import org.eclipse.help.IToc;
import org.eclipse.help.ITopic;
import org.junit.jupiter.api.Test;
import org.trajlab.ui.HelpHandler;
import org.w3c.dom.Document;

/**
 * The help: the table of contents is registered with the help system, every topic's page is in the bundle and
 * parses, and the pages generated from README.md still carry the headings of their README sections.
 */
class HelpTest {
  @Test
  void theTableOfContentsIsRegisteredAndEveryPageIsThere() throws Exception {
    IToc toc = Arrays.stream(HelpSystem.getTocs()).filter(t -> t.getLabel().equals("trajlab")).findFirst()
        .orElseThrow(() -> new AssertionError("no trajlab table of contents among "
            + Arrays.stream(HelpSystem.getTocs()).map(IToc::getLabel).toList()));
    List<String> labels = new ArrayList<>();
    for (ITopic t : toc.getTopics()) {
      labels.add(t.getLabel());
      String href = t.getHref(); // /org.trajlab.ui/help/x.html
      assertTrue(href.startsWith("/org.trajlab.ui/help/"), href);
      Path page = HelpHandler.page(href.substring("/org.trajlab.ui/".length()));
      assertTrue(Files.size(page) > 1000, page + " is " + Files.size(page) + " bytes");
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new java.io.ByteArrayInputStream(Files.readString(page).replace("<!DOCTYPE html>", "")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertEquals(t.getLabel(), doc.getElementsByTagName("title").item(0).getTextContent(), href);
    }
    assertEquals(List.of("The workbench", "The instruments", "Run specs: the fields", "A run folder and the metrics format",
        "The headless command", "Reproducing the walk of paper 000 on Fashion-MNIST"), labels);
    System.out.println("HelpTest: " + labels);
  }

  @Test
  void thePagesHaveTheirReadmeSectionsHeadings() throws Exception {
    String workbench = Files.readString(HelpHandler.page("help/workbench.html"));
    String spec = Files.readString(HelpHandler.page("help/spec.html"));
    String instruments = Files.readString(HelpHandler.page("help/instruments.html"));
    assertTrue(workbench.contains("<h1 id=\"the-workbench\">The workbench</h1>"), "workbench.html");
    assertTrue(workbench.contains("<b>Compare</b>"), "workbench.html does not describe the Compare view");
    for (String h : List.of("Models", "Data sets", "Optimizers", "Schedules")) {
      assertTrue(spec.contains(">" + h + "</h2>"), "spec.html lacks " + h);
    }
    for (String h : List.of("The noise probe (paper 004)", "The averaging probe (paper 003)")) {
      assertTrue(instruments.contains(">" + h + "</h2>"), "instruments.html lacks " + h);
    }
    assertNotNull(HelpHandler.page("help/walk-000.html"));
    assertTrue(workbench.toLowerCase(Locale.ROOT).contains("generated from readme.md"));
  }
}
