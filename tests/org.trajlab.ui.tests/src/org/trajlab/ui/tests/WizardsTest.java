package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.run.RunPreview;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.MetricsReader;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStore;
import org.trajlab.testing.Fixtures;
import org.trajlab.testing.ui.EventLoop;
import org.trajlab.ui.RunJob;
import org.trajlab.ui.RunsView;
import org.trajlab.ui.UiPreferences;
import org.trajlab.ui.wizards.ModelDataPage;
import org.trajlab.ui.wizards.NewExperimentWizard;
import org.trajlab.ui.wizards.OptimizerPage;
import org.trajlab.ui.wizards.OutputPage;
import org.trajlab.ui.wizards.ProbeParamsPage;
import org.trajlab.ui.wizards.ProbesPage;
import org.trajlab.ui.wizards.RestartPage;
import org.trajlab.ui.wizards.RestartVariant;
import org.trajlab.ui.wizards.RestartWizard;
import org.trajlab.ui.wizards.SchedulePlot;
import org.trajlab.ui.wizards.SpecJsonPage;
import org.trajlab.ui.wizards.SpecWizard;
import org.trajlab.ui.wizards.SpecWizardPage;
import org.trajlab.ui.wizards.WizardPageRegistry;

/**
 * The New Experiment and Restart wizards driven as a researcher would, at 1400×870, to a started run whose spec.json
 * is checked field by field and whose recorded η and S are the plan the optimiser page plotted. A 20-update source run
 * (checkpoints every 10, the noise probe every 10) gives the noise probe a measured cost and the Restart wizard its
 * checkpoints. Every page is saved as a screenshot.
 */
class WizardsTest {
  static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
  static final Duration PREVIEW_TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  static Path temp;
  static Path root;
  static RunFolder source;

  @BeforeAll
  static void sourceRun() throws Exception {
    root = temp.resolve("runs");
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, root.toString());
    UiPreferences.store().setValue(UiPreferences.FASHION_MNIST_DIR, Fixtures.fashionMnistDir().toString());
    RunSpec spec = UiTests.smallSpec("source", 20);
    spec.data.dir = Fixtures.fashionMnistDir().toString();
    spec.data.trainSize = 2000;
    spec.data.testSize = 1000;
    spec.data.trainEvalSize = 500;
    spec.model.hidden = List.of(50);
    spec.checkpoints.every = 10;
    spec.probes.add(noise(10));
    source = new RunStore(root).newRun(spec.name);
    RunOutcome outcome = UiTests.runner().run(spec, source, RunMonitor.NONE);
    assertEquals(RunState.DONE, outcome.state(), outcome.message());
  }

  private static ProbeSpec noise(int every) {
    ProbeSpec p = new ProbeSpec("noise", ScheduleSpec.every(every));
    p.params = new LinkedHashMap<>(Map.of("L", 5, "M", 32, "eigenvectors", false, "breakEven", false));
    return p;
  }

  @Test
  void theExtensionPointOrdersTheWorkbenchsPagesAndTheNoiseProbesOwn() {
    List<String> ids = WizardPageRegistry.pages(WizardPageRegistry.NEW).stream().map(c -> c.id()).toList();
    assertEquals(List.of("org.trajlab.ui.modelData", "org.trajlab.ui.optimizer", "org.trajlab.ui.probes",
        "org.trajlab.probes.noise.page", "org.trajlab.ui.output", "org.trajlab.ui.spec"), ids);
    List<String> restart = WizardPageRegistry.pages(WizardPageRegistry.RESTART).stream().map(c -> c.id()).toList();
    assertEquals(List.of("org.trajlab.ui.restart", "org.trajlab.ui.optimizer", "org.trajlab.ui.probes",
        "org.trajlab.probes.noise.page", "org.trajlab.ui.output", "org.trajlab.ui.spec"), restart);
  }

  /** every variant's pre-filled spec is one the engine accepts, from the source run's first checkpoint */
  @Test
  void everyRestartVariantPrefillsASpecTheEngineAccepts() throws Exception {
    RunSpec base = source.readSpec();
    Path ck = RestartWizard.checkpoints(source).get(0);
    assertEquals("step-00000010", ck.getFileName().toString());
    for (RestartVariant v : RestartVariant.values()) {
      for (String average : v == RestartVariant.EQUIVALENT ? List.of("ema", "swa", "twopoint") : List.of("ema")) {
        RunSpec spec = v.apply(base, source, ck, 20, average);
        assertEquals(ck.toString(), spec.start.checkpoint, v.key);
        assertEquals(20L, spec.training.steps, v.key);
        UiTests.runner().check(spec); // throws the engine's sentence when the variant's spec is wrong
        System.out.println("WizardsTest: " + v.key + (v == RestartVariant.EQUIVALENT ? " " + average : "") + ": "
            + spec.name + ", probes " + spec.probes.stream().map(p -> p.type).toList());
      }
    }
  }

  /** File > New > Experiment… is there, and the command behind it (also the toolbar's) opens the wizard */
  @Test
  void fileNewExperimentOpensTheWizard() throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    Shell window = page.getWorkbenchWindow().getShell();
    assertNotNull(item(window.getMenuBar(), "File", "New", "Experiment…"), "File > New > Experiment… is missing");
    Display display = Display.getCurrent();
    AtomicReference<String> opened = new AtomicReference<>();
    Runnable[] closer = new Runnable[1];
    closer[0] = () -> {
      for (Shell s : display.getShells()) {
        if (s.isVisible() && s != window && s.getText().equals(NewExperimentWizard.TITLE)) {
          opened.set(s.getText() + "|" + (s.getData() instanceof WizardDialog d ? d.getCurrentPage().getName() : ""));
          s.close();
          return;
        }
      }
      display.timerExec(100, closer[0]);
    };
    display.timerExec(100, closer[0]);
    try {
      PlatformUI.getWorkbench().getService(IHandlerService.class).executeCommand("org.trajlab.ui.newExperiment", null);
    } finally {
      display.timerExec(-1, closer[0]);
    }
    assertEquals(NewExperimentWizard.TITLE + "|org.trajlab.ui.modelData", opened.get());
  }

  /** the menu item at {@code path} below {@code menu}, each menu shown first so contributions are filled in */
  private static MenuItem item(Menu menu, String... path) {
    MenuItem found = null;
    for (String label : path) {
      if (menu == null) {
        return null;
      }
      menu.notifyListeners(SWT.Show, new Event());
      found = null;
      for (MenuItem i : menu.getItems()) {
        if (i.getText().replace("&", "").split("\t")[0].equals(label)) {
          found = i;
        }
      }
      if (found == null) {
        return null;
      }
      menu = found.getMenu();
    }
    return found;
  }

  @Test
  void newExperimentWizardStartsTheSpecItShows() throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    Shell window = page.getWorkbenchWindow().getShell();
    window.setBounds(0, 0, 1400, 870);
    page.showView(RunsView.ID);
    WizardDialog dialog = NewExperimentWizard.dialog(window, UiTests.runner());
    dialog.setBlockOnOpen(false);
    dialog.open();
    try {
      SpecWizard wizard = (SpecWizard) dialog.getCurrentPage().getWizard();
      fitsTheWindow(dialog.getShell(), window);

      // model and data: the data checked as you type
      ModelDataPage model = (ModelDataPage) wizard.page("org.trajlab.ui.modelData");
      assertEquals(model, dialog.getCurrentPage());
      type(model.nameField(), "wiz");
      type(model.hiddenField(), "50");
      type(model.trainSizeField(), "2000");
      type(model.testSizeField(), "1000");
      type(model.trainEvalSizeField(), "500");
      RunPreview p = previewed(wizard);
      String found = model.foundText();
      System.out.println("WizardsTest: the data page says: " + found);
      assertTrue(found.startsWith("Fashion-MNIST in " + Fixtures.fashionMnistDir()), found);
      assertTrue(found.contains("60,000 training and 10,000 test examples in the files, each 1×28×28, 10 classes"), found);
      assertTrue(found.contains("trains on 2,000 examples and tests on 1,000"), found);
      assertEquals(2000, p.trainSize());
      assertEquals(10, p.trainClassCounts().length);
      assertEquals(2000, java.util.Arrays.stream(p.trainClassCounts()).sum());
      assertTrue(found.endsWith(ModelDataPage.classCountsText(p.trainClassCounts())), found);
      assertTrue(found.contains(" (classes 0–9)."), found);
      assertEquals(" Per class: 1,203, 0, 7 (classes 0–2). No training example of class 1.",
          ModelDataPage.classCountsText(new int[] { 1203, 0, 7 }));
      assertEquals(" Per class: 3 to 9 (21 classes).",
          ModelDataPage.classCountsText(java.util.stream.IntStream.rangeClosed(0, 20).map(k -> 3 + k % 7).toArray()));
      shoot(dialog, "wizard-new-1-model-data.png");

      // a folder without the data: one sentence on the page, Finish refused, then back
      type(model.dataDirField(), temp.resolve("nothing-here").toString());
      spinUntilPreviewed(wizard);
      String problem = wizard.previewProblem();
      assertNotNull(problem, "a folder without data files is accepted");
      System.out.println("WizardsTest: with an empty folder: " + problem);
      assertTrue(problem.contains("nothing-here") && problem.endsWith(".") && !problem.contains("\n"), problem);
      assertEquals(problem, model.getErrorMessage());
      assertFalse(wizard.canFinish());
      shoot(dialog, "wizard-new-1b-bad-folder.png");
      type(model.dataDirField(), Fixtures.fashionMnistDir().toString());
      previewed(wizard);
      assertNull(model.getErrorMessage());

      // optimiser and schedule: the plot is the engine's plan
      OptimizerPage opt = (OptimizerPage) wizard.page("org.trajlab.ui.optimizer");
      dialog.showPage(opt);
      type(opt.stepsField(), "30");
      type(opt.lrField(), "0.05");
      type(opt.evalEveryField(), "10");
      choose(opt.scheduleCombo(), "step");
      choose(opt.unitCombo(), "step");
      type(opt.fieldsField(), "{\"milestones\": [20], \"factor\": 0.1}");
      p = previewed(wizard);
      assertEquals(30, p.totalSteps());
      double[] eta = opt.plot().series(SchedulePlot.ETA).getYSeries();
      double[] s = opt.plot().series(SchedulePlot.S).getYSeries();
      double[] ratio = opt.plot().series(SchedulePlot.RATIO).getYSeries();
      assertEquals(30, eta.length);
      for (int t = 0; t < 30; t++) {
        double expected = t < 20 ? 0.05 : 0.05 * 0.1;
        assertEquals(expected, eta[t], 1e-12, "η at update " + t);
        assertEquals(100, s[t], 0, "S at update " + t);
        assertEquals(expected / 100, ratio[t], 1e-15, "η/S at update " + t);
      }
      System.out.println("WizardsTest: the optimiser page says: " + opt.summaryText());
      assertEquals("30 updates in epochs 1–2; η from 0.005 to 0.05; S 100.", opt.summaryText());
      shoot(dialog, "wizard-new-2-optimizer.png");

      // probes: the default walk (never measured under the runs folder) and the noise probe (measured by source)
      ProbesPage probes = (ProbesPage) wizard.page("org.trajlab.ui.probes");
      dialog.showPage(probes);
      assertEquals(1, probes.table().getItemCount());
      assertEquals("walk", probes.table().getItem(0).getText(0));
      assertEquals("updates 0–99; every 10th from update 100", probes.table().getItem(0).getText(1));
      assertTrue(probes.costText(0).contains("cost unknown"), probes.costText(0));
      shoot(dialog, "wizard-new-3-probes.png");

      // the noise probe's own page, contributed by its bundle's plugin.xml
      ProbeParamsPage noisePage = (ProbeParamsPage) wizard.page("org.trajlab.probes.noise.page");
      dialog.showPage(noisePage);
      assertEquals("noise", noisePage.probe());
      assertFalse(noisePage.measureButton().getSelection());
      click(noisePage.measureButton(), true);
      type(noisePage.scheduleField(), "{\"every\": 10}");
      type((Text) noisePage.field("L"), "5");
      type((Text) noisePage.field("M"), "32");
      choose((Combo) noisePage.field("eigenvectors"), "false");
      choose((Combo) noisePage.field("breakEven"), "false");
      previewed(wizard);
      String cost = noisePage.costText();
      System.out.println("WizardsTest: the noise page says: " + cost);
      assertTrue(cost.startsWith("Estimated cost: ≈ ") && cost.contains("(3 × ") && cost.endsWith("measured in "
          + source.name() + ")"), cost);
      shoot(dialog, "wizard-new-4-noise.png");
      dialog.showPage(probes);
      assertEquals(2, probes.table().getItemCount());
      assertEquals("noise", probes.table().getItem(1).getText(0));
      assertEquals("every 10th", probes.table().getItem(1).getText(1));
      assertTrue(probes.costText(1).contains("measured in " + source.name()), probes.costText(1));

      OutputPage output = (OutputPage) wizard.page("org.trajlab.ui.output");
      dialog.showPage(output);
      assertEquals(root.toString(), output.folderField().getText());
      type(output.everyField(), "10");
      previewed(wizard);
      shoot(dialog, "wizard-new-5-output.png");

      SpecJsonPage json = (SpecJsonPage) wizard.page("org.trajlab.ui.spec");
      dialog.showPage(json);
      previewed(wizard);
      assertEquals(Specs.toJson(Specs.parse(json.jsonText())), Specs.toJson(wizard.spec()));
      assertTrue(json.verdictText().startsWith("The engine accepts this spec: 30 updates on Fashion-MNIST."),
          json.verdictText());
      shoot(dialog, "wizard-new-6-spec.png");

      RunFolder folder = finish(dialog, wizard);
      RunSpec written = folder.readSpec();
      assertEquals("wiz", written.name);
      assertEquals(List.of(50), written.model.hidden);
      assertEquals(2000, written.data.trainSize);
      assertEquals(1000, written.data.testSize);
      assertEquals(500, written.data.trainEvalSize);
      assertEquals(30L, written.training.steps);
      assertEquals(0.05, written.optimizer.lr, 0);
      assertEquals("step", written.optimizer.lrSchedule.type);
      assertEquals("step", written.optimizer.lrSchedule.unit);
      assertEquals(List.of(20.0), written.optimizer.lrSchedule.milestones);
      assertEquals(10, written.eval.every);
      assertEquals(10, written.checkpoints.every);
      assertEquals(List.of("walk", "noise"), written.probes.stream().map(x -> x.type).toList());
      ProbeSpec n = written.probes.get(1);
      assertEquals(10, n.schedule.get(0).every);
      assertEquals(5, ((Number) n.params.get("L")).intValue());
      assertEquals(32, ((Number) n.params.get("M")).intValue());
      assertEquals(false, n.params.get("eigenvectors"));
      assertEquals(false, n.params.get("breakEven"));
      // the run trained with the η and S the page plotted
      List<MetricRow> rows = MetricsReader.readAll(folder.file(RunFolder.METRICS));
      double[] lr = rows.stream().filter(r -> r.probe().equals("train") && r.quantity().equals("lr"))
          .mapToDouble(MetricRow::value).toArray();
      assertEquals(30, lr.length);
      for (int t = 0; t < 30; t++) {
        assertEquals(eta[t], lr[t], 1e-12, "recorded η at update " + t);
      }
      assertTrue(rows.stream().anyMatch(r -> r.probe().equals("noise")), "no noise rows");
    } finally {
      if (dialog.getShell() != null && !dialog.getShell().isDisposed()) {
        dialog.close();
      }
    }
  }

  @Test
  void restartWizardBranchesFromTheChosenCheckpoint() throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    Shell window = page.getWorkbenchWindow().getShell();
    window.setBounds(0, 0, 1400, 870);
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    runs.refresh();
    RunFolder listed = runs.getRuns().stream().filter(r -> r.dir().equals(source.dir())).findFirst()
        .orElseThrow(() -> new AssertionError("the Runs view does not list " + source.dir()));
    runs.getViewer().setSelection(new StructuredSelection(listed), true);
    Menu menu = runs.getViewer().getControl().getMenu();
    menu.notifyListeners(SWT.Show, new Event());
    MenuItem restartItem = Arrays.stream(menu.getItems()).filter(i -> i.getText().equals(RunsView.RESTART_ACTION))
        .findFirst().orElseThrow(() -> new AssertionError("no " + RunsView.RESTART_ACTION + " in "
            + Arrays.stream(menu.getItems()).map(MenuItem::getText).toList()));
    runs.setBlockOnOpen(false);
    restartItem.notifyListeners(SWT.Selection, new Event());
    menu.notifyListeners(SWT.Hide, new Event());
    WizardDialog dialog = runs.lastRestartDialog();
    assertNotNull(dialog, "the Restart wizard did not open");
    try {
      RestartWizard wizard = (RestartWizard) dialog.getCurrentPage().getWizard();
      fitsTheWindow(dialog.getShell(), window);
      RestartPage first = (RestartPage) dialog.getCurrentPage();
      assertEquals(List.of("step-00000010  (update 10)", "step-00000020  (update 20)"),
          Arrays.asList(first.checkpointCombo().getItems()));
      choose(first.checkpointCombo(), "step-00000010  (update 10)");
      assertEquals("20", first.stepsField().getText());

      // the equivalent schedule: EMA counted in updates, η falling to the end
      first.choose(RestartVariant.EQUIVALENT);
      assertEquals("ema", wizard.spec().optimizer.lrSchedule.type);
      assertEquals("step", wizard.spec().optimizer.lrSchedule.unit);
      RunPreview p = previewed(wizard);
      assertEquals(10, p.startStep());
      for (int t = 11; t < 20; t++) {
        assertTrue(p.lr()[t] < p.lr()[t - 1], "η does not fall at update " + t + ": " + Arrays.toString(p.lr()));
      }
      OptimizerPage opt = (OptimizerPage) wizard.page("org.trajlab.ui.optimizer");
      dialog.showPage(opt);
      previewed(wizard);
      assertEquals(10, opt.plot().series(SchedulePlot.ETA).getYSeries().length, "the plot starts at the checkpoint");
      assertEquals(10, opt.plot().series(SchedulePlot.ETA).getXSeries()[0], 0);
      shoot(dialog, "wizard-restart-2-equivalent-schedule.png");

      // the branch: another batch order from update 10, the distance to the source's endpoint measured
      dialog.showPage(first);
      first.choose(RestartVariant.BRANCH);
      p = previewed(wizard);
      shoot(dialog, "wizard-restart-1-branch.png");
      for (SpecWizardPage next : wizard.specPages().subList(1, wizard.specPages().size())) {
        dialog.showPage(next);
        previewed(wizard);
        shoot(dialog, "wizard-restart-" + (wizard.specPages().indexOf(next) + 1) + "-" + next.getName()
            .replace("org.trajlab.", "").replace('.', '-') + ".png");
      }
      RunFolder folder = finish(dialog, wizard);
      RunSpec written = folder.readSpec();
      assertEquals("source-branch", written.name);
      assertEquals(source.dir().resolve("checkpoints/step-00000010").toString(), written.start.checkpoint);
      assertTrue(written.start.optimizerState);
      assertEquals(1L, written.training.batchSeed);
      assertEquals(20L, written.training.steps);
      assertEquals(List.of("noise", "branch"), written.probes.stream().map(x -> x.type).toList());
      assertEquals(source.dir().toString(), written.probes.get(1).params.get("to"));
      List<MetricRow> rows = MetricsReader.readAll(folder.file(RunFolder.METRICS));
      long firstTrain = rows.stream().filter(r -> r.probe().equals("train")).mapToLong(MetricRow::step).min().orElse(-1);
      assertEquals(10, firstTrain, "the branch starts at the checkpoint's update");
      assertTrue(rows.stream().anyMatch(r -> r.probe().equals("branch")), "no branch rows");
    } finally {
      if (dialog.getShell() != null && !dialog.getShell().isDisposed()) {
        dialog.close();
      }
    }
  }

  /** Finish pressed: the job it started, waited for; the run folder it wrote */
  private static RunFolder finish(WizardDialog dialog, SpecWizard wizard) {
    spinUntilPreviewed(wizard);
    assertTrue(wizard.canFinish(), "Finish is disabled: " + dialog.getCurrentPage().getErrorMessage());
    Button finish = button(dialog.getShell(), "Finish");
    assertNotNull(finish, "no Finish button");
    assertTrue(finish.isEnabled(), "the Finish button is disabled");
    finish.notifyListeners(SWT.Selection, new Event());
    UiTests.spinUntil(() -> dialog.getShell() == null || dialog.getShell().isDisposed(), Duration.ofSeconds(30),
        "the wizard to close after Finish");
    RunJob job = wizard.getJob();
    assertNotNull(job, "Finish started no job");
    assertTrue(Arrays.asList(Job.getJobManager().find(RunJob.FAMILY)).contains(job) || job.getResult() != null);
    UiTests.spinUntil(() -> job.getState() == Job.NONE && job.getResult() != null, JOB_TIMEOUT, "the run to end");
    assertTrue(job.getResult().isOK(), job.getResult().toString());
    assertEquals(RunState.DONE, job.getFolder().readStatus().state);
    assertEquals(root, job.getFolder().dir().getParent());
    return job.getFolder();
  }

  private static Button button(Composite c, String label) {
    for (Control child : c.getChildren()) {
      if (child instanceof Button b && b.getText().replace("&", "").equals(label)) {
        return b;
      }
      if (child instanceof Composite inner) {
        Button found = button(inner, label);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** the dialog lies inside the 1400×870 window */
  private static void fitsTheWindow(Shell dialog, Shell window) {
    Rectangle d = dialog.getBounds();
    Point size = dialog.getSize();
    System.out.println("WizardsTest: the wizard is " + size.x + "x" + size.y);
    assertTrue(size.x <= 1400 && size.y <= 870, "the wizard is " + size.x + "x" + size.y + ", larger than the window");
    assertTrue(d.width >= 900, "the wizard is only " + d.width + " px wide");
  }

  /** the engine's preview of the spec as it is now, waited for; fails with the engine's sentence */
  private static RunPreview previewed(SpecWizard wizard) {
    spinUntilPreviewed(wizard);
    assertNull(wizard.previewProblem(), wizard.previewProblem());
    return wizard.preview();
  }

  private static void spinUntilPreviewed(SpecWizard wizard) {
    EventLoop.spin(Duration.ofMillis(SpecWizard.PREVIEW_DELAY_MILLIS + 50));
    UiTests.spinUntil(wizard::isPreviewCurrent, PREVIEW_TIMEOUT, "the engine's preview of the spec");
    EventLoop.spin(Duration.ofMillis(100));
  }

  private static void type(Text t, String text) {
    t.setFocus();
    t.setText(text); // fires Modify, as typing does
  }

  private static void choose(Combo c, String item) {
    int i = c.indexOf(item);
    assertTrue(i >= 0, item + " is not among " + Arrays.toString(c.getItems()));
    c.select(i);
    c.notifyListeners(SWT.Selection, new Event());
  }

  private static void click(Button b, boolean selected) {
    b.setSelection(selected);
    b.notifyListeners(SWT.Selection, new Event());
  }

  private static void shoot(WizardDialog dialog, String name) throws Exception {
    Path png = EventLoop.screenshot(dialog.getShell(), name);
    assertTrue(Files.size(png) > 5_000, name + " is only " + Files.size(png) + " bytes");
  }
}
