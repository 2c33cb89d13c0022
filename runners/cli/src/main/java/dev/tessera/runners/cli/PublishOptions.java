package dev.tessera.runners.cli;

import picocli.CommandLine.Option;

/** {@code --register} and {@code --promote-if}, shared by {@code run} and {@code resume}. */
final class PublishOptions {
  @Option(names = "--register",
      description = "After a successful run, register its trained model as a new version of the MLflow registered "
          + "model named after the experiment.")
  boolean register;

  @Option(names = "--promote-if", paramLabel = "METRIC[:max|min[:MIN_GAIN]]",
      description = "Register the model (as --register), alias it 'challenger', and make it the 'champion' only if "
          + "METRIC (such as evaluate/accuracy) beats the champion's by at least MIN_GAIN (default 0: any gain; ties "
          + "keep the champion). The decision and both values are tagged on the run and the version.")
  String promoteIf;
}
