package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.MetricsReader;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStore;
import org.trajlab.ui.RunJob;

/** Runs through {@link RunJob} as the New run command does: to the end, and cancelled. */
class RunJobTest {
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

  @TempDir
  Path root;

  @Test
  void aRunJobRunsTheSpecToTheEnd() throws Exception {
    RunSpec spec = UiTests.smallSpec("jobtest", 5);
    RunFolder folder = new RunStore(root).newRun(spec.name);
    RunJob job = new RunJob(spec, folder, UiTests.runner());
    assertEquals("trajlab run " + folder.name(), job.getName());
    job.schedule();
    UiTests.spinUntil(() -> finished(job), JOB_TIMEOUT, "the run job to finish");

    assertTrue(job.getResult().isOK(), job.getResult().toString());
    assertEquals(RunState.DONE, job.getOutcome().state());
    assertEquals(5, job.getOutcome().steps());
    assertEquals(RunState.DONE, folder.readStatus().state);
    List<MetricRow> rows = MetricsReader.readAll(folder.file(RunFolder.METRICS));
    long batchLosses = rows.stream().filter(r -> r.probe().equals("train") && r.quantity().equals("loss_batch"))
        .count();
    assertEquals(5, batchLosses, "train/loss_batch rows");
  }

  @Test
  void cancellingTheJobCancelsTheRun() throws Exception {
    RunSpec spec = UiTests.smallSpec("canceltest", 100_000); // far more than could run before the cancel lands
    RunFolder folder = new RunStore(root).newRun(spec.name);
    RunJob job = new RunJob(spec, folder, UiTests.runner());
    job.schedule();
    // a job cancelled before its run method starts never reaches the engine: wait until the engine has started
    UiTests.spinUntil(() -> folder.readStatus().state == RunState.RUNNING || finished(job), JOB_TIMEOUT,
        "the engine to start the run");
    job.cancel();
    UiTests.spinUntil(() -> finished(job), JOB_TIMEOUT, "the cancelled run job to end");

    assertEquals(IStatus.CANCEL, job.getResult().getSeverity(), job.getResult().toString());
    assertNotNull(job.getOutcome(), "the job was cancelled before the engine ran");
    assertEquals(RunState.CANCELLED, job.getOutcome().state());
    assertEquals(RunState.CANCELLED, folder.readStatus().state);
    assertTrue(job.getOutcome().steps() < 100_000);
  }

  private static boolean finished(Job job) {
    return job.getState() == Job.NONE && job.getResult() != null;
  }
}
