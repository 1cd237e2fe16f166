package org.trajlab.api.store;

/** Where a run is. {@code INTERRUPTED} is never written: it is read off a RUNNING run whose process is gone. */
public enum RunState {
  CREATED, RUNNING, DONE, DIVERGED, FAILED, CANCELLED, INTERRUPTED;

  public boolean isFinal() {
    return this != CREATED && this != RUNNING;
  }
}
