package dev.tessera.pipelines.tracking.registry;

import java.util.OptionalLong;

/**
 * A registered model version named by alias or number: {@code champion:<model>} ("the champion of X"; any alias
 * works the same way, such as {@code challenger:<model>}), or MLflow's URIs {@code models:/<model>@<alias>} and
 * {@code models:/<model>/<version>}. Tessera names registered models after their experiments.
 *
 * @param model the registered model's name
 * @param alias the alias, or null when a version number is given
 * @param version the version number, or empty when an alias is given
 */
public record ModelReference(String model, String alias, OptionalLong version) {

  public ModelReference {
    ModelRegistry.checkModelName(model);
    if ((alias == null) == version.isEmpty()) {
      throw new IllegalArgumentException("a model reference names an alias or a version, not both or neither; "
          + "got alias " + alias + " and version " + version + ".");
    }
    if (alias != null) {
      ModelRegistry.checkAlias(alias);
    }
  }

  /**
   * Parses {@code <alias>:<model>}, {@code models:/<model>@<alias>} or {@code models:/<model>/<version>}.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static ModelReference parse(String text) {
    String forms = " Use champion:<experiment> (any alias: challenger:<experiment>), models:/<model>@<alias> or "
        + "models:/<model>/<version>.";
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("model reference is empty." + forms);
    }
    try {
      if (text.startsWith("models:/")) {
        String rest = text.substring("models:/".length());
        int at = rest.lastIndexOf('@');
        if (at > 0) {
          return new ModelReference(rest.substring(0, at), rest.substring(at + 1), OptionalLong.empty());
        }
        int slash = rest.lastIndexOf('/');
        if (slash > 0 && rest.substring(slash + 1).matches("\\d+")) {
          return new ModelReference(rest.substring(0, slash), null,
              OptionalLong.of(Long.parseLong(rest.substring(slash + 1))));
        }
      } else {
        int colon = text.indexOf(':');
        if (colon > 0 && colon < text.length() - 1) {
          return new ModelReference(text.substring(colon + 1), text.substring(0, colon), OptionalLong.empty());
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model reference '" + text + "' is not valid: " + e.getMessage() + forms,
          e);
    }
    throw new IllegalArgumentException("model reference '" + text + "' has no recognised form." + forms);
  }

  @Override
  public String toString() {
    return alias != null ? alias + ":" + model : "models:/" + model + "/" + version.getAsLong();
  }
}
