package dev.tessera.pipelines.tracking;

/** The status of a tracked run, with MLflow's numeric codes. */
public enum RunStatus {
  RUNNING(1),
  SCHEDULED(2),
  FINISHED(3),
  FAILED(4),
  KILLED(5);

  private final int mlflowCode;

  RunStatus(int mlflowCode) {
    this.mlflowCode = mlflowCode;
  }

  /** MLflow's integer for this status, as written in a file store's {@code meta.yaml}. */
  public int mlflowCode() {
    return mlflowCode;
  }

  /** The status with MLflow's integer code. */
  public static RunStatus ofMlflowCode(int code) {
    for (RunStatus status : values()) {
      if (status.mlflowCode == code) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown MLflow run status code " + code + " (allowed: 1-5)");
  }
}
