package dev.tessera.runners.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The artifact root of a command: {@code --artifact-root}, else {@code TESSERA_ARTIFACT_ROOT}. Read before picocli
 * parses the arguments, because the {@link Workspace} the injector builds reads it from the environment; the flag
 * wins by replacing the variable in the environment the commands see.
 */
final class ArtifactRootOption {
  static final String OPTION = "--artifact-root";
  static final String VARIABLE = "TESSERA_ARTIFACT_ROOT";
  static final String FORM = "a Beam file system URI with a bucket, such as s3://bucket/prefix";

  private ArtifactRootOption() {}

  /**
   * The environment with {@code TESSERA_ARTIFACT_ROOT} set to the value of {@code --artifact-root} when the
   * arguments have one, else {@code environment} itself.
   *
   * @throws UsageException for a flag without a value or with a value that is no remote URI with a bucket
   */
  static Map<String, String> apply(List<String> args, Map<String, String> environment) {
    Optional<String> value = value(args);
    if (value.isEmpty()) {
      return environment;
    }
    String root = check(value.get());
    Map<String, String> merged = new HashMap<>(environment);
    merged.put(VARIABLE, root);
    return Map.copyOf(merged);
  }

  /** The value of the last {@code --artifact-root X} or {@code --artifact-root=X} before {@code --}. */
  static Optional<String> value(List<String> args) {
    String found = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        break;
      }
      if (arg.equals(OPTION)) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("-")) {
          throw new UsageException(OPTION + " needs a value: " + FORM + ".");
        }
        found = args.get(++i);
      } else if (arg.startsWith(OPTION + "=")) {
        found = arg.substring(OPTION.length() + 1);
      }
    }
    return Optional.ofNullable(found);
  }

  /** The root without surrounding blanks, or a usage error naming the flag, the value and the form allowed. */
  static String check(String value) {
    String root = value.strip();
    URI uri;
    try {
      uri = new URI(root);
    } catch (URISyntaxException e) {
      throw invalid(value, "it is no URI: " + e.getReason());
    }
    if (uri.getScheme() == null || uri.getScheme().equals("file")) {
      throw invalid(value, "it is a local path; for a local folder set TESSERA_HOME instead");
    }
    if (uri.getHost() == null || uri.getRawAuthority() == null) {
      throw invalid(value, "it names no bucket after " + uri.getScheme() + "://");
    }
    return root;
  }

  private static UsageException invalid(String value, String why) {
    return new UsageException(OPTION + " must be " + FORM + ", but was '" + value + "' (" + why + ").");
  }
}
