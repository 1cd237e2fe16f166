package org.trajlab.api.spec;

/**
 * A run spec that cannot be run as written. The message is one sentence a researcher can act on: it names the
 * field and says what is allowed. The headless application maps this to exit code 2 and prints only the message.
 */
public class SpecException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String field;

  public SpecException(String field, String sentence) {
    super(sentence);
    this.field = field;
  }

  /** dotted path of the offending field, e.g. {@code optimizer.lr}, or {@code null} when the spec as a whole is wrong */
  public String field() {
    return field;
  }
}
