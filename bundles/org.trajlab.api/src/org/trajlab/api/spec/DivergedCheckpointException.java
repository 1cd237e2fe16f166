package org.trajlab.api.spec;

/**
 * A checkpoint to start or resume from whose parameters (or optimizer vectors) are not all finite: the run that wrote
 * it had diverged. Like every {@link SpecException} it is thrown before anything runs or is written, as one sentence;
 * the headless application maps it to exit code 3 (diverged) instead of 2.
 */
public class DivergedCheckpointException extends SpecException {
  private static final long serialVersionUID = 1L;

  public DivergedCheckpointException(String field, String sentence) {
    super(field, sentence);
  }
}
