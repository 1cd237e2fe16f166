package org.trajlab.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The console's lines: what the run will do, and a rate and ETA over the updates done in this process only. */
public class ConsoleMonitorTest {

  @Test
  public void theAnnouncementSaysWhereTheRunStartsAndWhatRemains() {
    assertEquals("600 updates to go", ConsoleMonitor.announcement(0, 600, null));
    assertEquals("probe-only run at update 0 (no training)", ConsoleMonitor.announcement(0, 0, null));
    assertEquals("probe-only run at update 600 (no training)", ConsoleMonitor.announcement(600, 600, null));
    assertEquals("continuing from update 600: 400 updates to go (to 1000)", ConsoleMonitor.announcement(600, 1000, null));
    Path run = Path.of("/runs/a");
    assertEquals("resuming /runs/a at update 600: 400 updates to go (to 1000)", ConsoleMonitor.announcement(600, 1000, run));
  }

  @Test
  public void rateAndEtaCountOnlyTheUpdatesDoneInThisProcess() {
    // resumed at 600: 100 updates in 10 s is 10 updates/s, and the 300 left take 30 s
    assertEquals("update 700/1000 (70%) | epoch 2 | 10.0 updates/s | ETA 0:00:30 | batch loss 0.5000",
        ConsoleMonitor.line(600, 700, 1000, 2, 0.5, 10.0));
    // a fresh run: the same formula from 0
    assertEquals("update 100/600 (17%) | epoch 1 | 20.0 updates/s | ETA 0:00:25 | batch loss 0.2500",
        ConsoleMonitor.line(0, 100, 600, 1, 0.25, 5.0));
    // nothing done yet in this process: no rate, no ETA
    assertEquals("update 600/1000 (60%) | epoch 2 | 0.0 updates/s | ETA ? | batch loss 1.0000",
        ConsoleMonitor.line(600, 600, 1000, 2, 1.0, 0.0));
  }
}
