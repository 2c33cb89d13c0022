package dev.tessera.runners.cli.schedule;

import dev.tessera.runners.cli.UsageException;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tessera schedule export <name> --format kubernetes|systemd}: the schedule for production schedulers. */
@Command(name = "export", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {"Writes a schedule as a Kubernetes CronJob or a systemd .service + .timer pair.",
        "",
        "kubernetes: one YAML CronJob (timeZone set, concurrencyPolicy Forbid, TESSERA_HOME on a volume); "
            + "printed, or written to --output DIR as tessera-<name>.yaml.",
        "Runs get MLFLOW_TRACKING_URI from --tracking-uri, else " + ScheduleExportCommand.DEFAULT_TRACKING_URI
            + ".",
        "systemd: tessera-<name>.service and tessera-<name>.timer in --output DIR (default: .). OnCalendar= is "
            + "the cron in the schedule's zone, Persistent=true runs a missed firing once at the next boot; only "
            + "a subset of cron converts (*, n, */n, a-b, lists; days of week 0-7; not both a day-of-month and a "
            + "day-of-week), anything else fails naming the field."},
    footer = {"", "Examples:", "  tessera schedule export nightly --format kubernetes --image registry/tessera:1.0",
        "  tessera schedule export nightly --format kubernetes --tracking-uri http://mlflow.internal:5000",
        "  tessera schedule export nightly --format systemd --output /etc/systemd/system"})
final class ScheduleExportCommand implements Callable<Integer> {
  /** Where exported runs track unless --tracking-uri says otherwise: the compose file's MLflow service. */
  static final String DEFAULT_TRACKING_URI = "http://mlflow:5000";
  private final ScheduleStore store;
  private String trackingUri;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The schedule (see 'tessera schedule list').")
  String name;

  @Option(names = "--format", required = true, paramLabel = "kubernetes|systemd", description = "What to write.")
  String format;

  @Option(names = "--image", defaultValue = "tessera:latest", paramLabel = "IMAGE",
      description = "Kubernetes: the container image (default: ${DEFAULT-VALUE}).")
  String image;

  @Option(names = "--home", defaultValue = "/var/lib/tessera", paramLabel = "DIR",
      description = "TESSERA_HOME of the runs: the volume's mount path, or the directory (default: "
          + "${DEFAULT-VALUE}).")
  String home;

  @Option(names = "--tessera", defaultValue = "/opt/tessera/tessera", paramLabel = "PATH",
      description = "systemd: the tessera launcher ExecStart= runs (default: ${DEFAULT-VALUE}).")
  String launcher;

  @Option(names = "--output", paramLabel = "DIR", description = "Write the files here instead of printing.")
  Path output;

  @Inject
  ScheduleExportCommand(ScheduleStore store) {
    this.store = store;
  }

  @Override
  public Integer call() {
    // The top-level --tracking-uri (inherited by every command) says where the exported runs track.
    var option = spec.findOption("--tracking-uri");
    trackingUri = option == null || option.getValue() == null ? DEFAULT_TRACKING_URI : option.getValue();
    ScheduleSpec schedule = store.require(name);
    String unit = "tessera-" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    try {
      switch (format) {
        case "kubernetes" -> emit(unit + ".yaml", cronJob(schedule, unit));
        case "systemd" -> {
          String calendar = SystemdCalendar.onCalendar(schedule.schedule());
          emit(unit + ".service", service(schedule));
          emit(unit + ".timer", timer(schedule, unit, calendar));
        }
        default -> throw new UsageException("--format '" + format + "' is not a format. Allowed: kubernetes, "
            + "systemd. Example: --format kubernetes.");
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return 0;
  }

  private String cronJob(ScheduleSpec schedule, String unit) {
    if (schedule.schedule().hasSeconds()) {
      throw new UsageException("cron '" + schedule.cron() + "' has a seconds field, which Kubernetes CronJobs "
          + "do not support. Add a 5-field schedule, e.g. --cron \"0 2 * * *\".");
    }
    StringBuilder y = new StringBuilder();
    y.append("# Tessera schedule ").append(schedule.name()).append(": ").append(schedule.experiment())
        .append(". Forbid skips a firing while the previous job runs.\n");
    y.append("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ").append(q(unit)).append('\n');
    y.append("spec:\n  schedule: ").append(q(schedule.cron())).append("\n  timeZone: ").append(q(schedule.zone()))
        .append("\n  concurrencyPolicy: Forbid\n");
    if (schedule.missed() == MissedPolicy.SKIP) {
      y.append("  startingDeadlineSeconds: 60\n");
    }
    y.append("  jobTemplate:\n    spec:\n      backoffLimit: 0\n      template:\n        spec:\n")
        .append("          restartPolicy: Never\n          containers:\n            - name: tessera\n")
        .append("              image: ").append(q(image)).append("\n              args:\n");
    schedule.runArgs().forEach(a -> y.append("                - ").append(q(a)).append('\n'));
    y.append("              env:\n                - name: MLFLOW_TRACKING_URI\n                  value: ")
        .append(q(trackingUri)).append("\n                - name: TESSERA_HOME\n                  value: ")
        .append(q(home)).append("\n              volumeMounts:\n                - name: tessera-home\n")
        .append("                  mountPath: ").append(q(home)).append('\n')
        .append("          volumes:\n            - name: tessera-home\n              persistentVolumeClaim:\n")
        .append("                claimName: tessera-home\n");
    return y.toString();
  }

  private String service(ScheduleSpec schedule) {
    return "[Unit]\nDescription=Tessera schedule " + schedule.name() + ": run " + schedule.experiment() + "\n"
        + "Wants=network-online.target\nAfter=network-online.target\n\n"
        + "[Service]\nType=oneshot\nEnvironment=\"TESSERA_HOME=" + home + "\"\n"
        + "Environment=\"MLFLOW_TRACKING_URI=" + trackingUri + "\"\n"
        + "ExecStart=" + launcher + " " + String.join(" ", schedule.runArgs().stream()
            .map(a -> a.matches("[A-Za-z0-9_./=:,+-]+") ? a : "\"" + a.replace("\"", "\\\"") + "\"").toList())
        + "\n";
  }

  private static String timer(ScheduleSpec schedule, String unit, String calendar) {
    return "[Unit]\nDescription=Tessera schedule " + schedule.name() + " (cron '" + schedule.cron() + "' in "
        + schedule.zone() + ")\n\n"
        + "[Timer]\nOnCalendar=" + calendar + "\n"
        + "# A firing missed while the machine was off runs once at the next start.\n"
        + "Persistent=" + (schedule.missed() == MissedPolicy.RUN_ONCE) + "\nUnit=" + unit + ".service\n\n"
        + "[Install]\nWantedBy=timers.target\n";
  }

  private void emit(String file, String text) {
    if (output == null) {
      spec.commandLine().getOut().print(text);
      return;
    }
    try {
      Files.createDirectories(output);
      Files.writeString(output.resolve(file), text);
      spec.commandLine().getOut().println("Wrote " + output.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + output.resolve(file), e);
    }
  }

  /** A YAML double-quoted scalar (JSON string rules, which YAML accepts). */
  private static String q(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
