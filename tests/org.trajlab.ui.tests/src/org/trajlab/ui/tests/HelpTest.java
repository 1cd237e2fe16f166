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
import org.eclipse.jface.action.IContributionItem;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.core.commands.Command;
import org.eclipse.core.commands.ParameterizedCommand;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.internal.WorkbenchWindow;
import org.trajlab.testing.ui.EventLoop;
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

  /**
   * Help > trajlab Cheat Sheet opens the walk-000 cheat sheet in the Cheat Sheets view: the menu item runs our
   * command, and the view shows the sheet's title and its steps
   */
  private static final String VIEW = "org.eclipse.ui.cheatsheets.views.CheatSheetView";
  private static final String WALK_000 = "org.trajlab.ui.cheatsheets.walk000";

  @Test
  void theCheatSheetOpensFromTheHelpMenu() throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    page.getWorkbenchWindow().getShell().setBounds(0, 0, 1400, 870);
    MenuManager help = (MenuManager) ((WorkbenchWindow) page.getWorkbenchWindow()).getMenuBarManager().find("help");
    assertNotNull(help, "no Help menu");
    help.updateAll(true);
    IContributionItem item = help.find("org.trajlab.ui.menu.cheatsheet");
    assertNotNull(item, "Help has no trajlab cheat sheet item: " + Arrays.stream(help.getItems()).map(IContributionItem::getId).toList());
    assertTrue(item.isVisible() && item.isEnabled(), "the cheat sheet item is hidden or disabled");
    // the item runs org.eclipse.ui.cheatsheets' open command with our sheet's id
    ICommandService commands = PlatformUI.getWorkbench().getService(ICommandService.class);
    Command open = commands.getCommand("org.eclipse.ui.cheatsheets.openCheatSheet");
    assertTrue(open.isDefined() && open.isHandled(), "org.eclipse.ui.cheatsheets' open command is not there");
    IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
    handlers.executeCommand(ParameterizedCommand.generateCommand(open, java.util.Map.of("cheatSheetId", WALK_000)), null);
    EventLoop.spinUntil(() -> page.findView(VIEW) != null, java.time.Duration.ofSeconds(10),
        "the Cheat Sheets view to open");
    IViewPart view = page.findView(VIEW);
    EventLoop.spin(java.time.Duration.ofMillis(800));
    String text = texts(((org.eclipse.ui.part.ViewPart) view).getSite().getShell());
    assertTrue(text.contains("Reproduce the walk of paper 000 on Fashion-MNIST"), text);
    assertTrue(text.contains("Check where the data is") && text.contains("Watch the walk"), text);
    EventLoop.screenshot(page.getWorkbenchWindow().getShell(), "help-cheatsheet-walk000.png");
  }

  /** every label's, hyperlink's, form's and expandable item's text under {@code c} */
  private static String texts(org.eclipse.swt.widgets.Composite c) {
    StringBuilder b = new StringBuilder();
    for (org.eclipse.swt.widgets.Control k : c.getChildren()) {
      if (k instanceof org.eclipse.swt.widgets.Label l) b.append(l.getText()).append('\n');
      if (k instanceof org.eclipse.ui.forms.widgets.Hyperlink h) b.append(h.getText()).append('\n');
      if (k instanceof org.eclipse.ui.forms.widgets.ScrolledForm f) b.append(f.getText()).append('\n');
      if (k instanceof org.eclipse.ui.forms.widgets.ExpandableComposite s) b.append(s.getText()).append('\n');
      if (k instanceof org.eclipse.swt.widgets.Composite cc) b.append(texts(cc));
    }
    return b.toString();
  }
}
