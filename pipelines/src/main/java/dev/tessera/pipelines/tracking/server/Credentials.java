package dev.tessera.pipelines.tracking.server;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;

/**
 * How to authenticate to an MLflow server: nothing, a bearer token ({@code MLFLOW_TRACKING_TOKEN}) or a user name
 * and password ({@code MLFLOW_TRACKING_USERNAME} / {@code MLFLOW_TRACKING_PASSWORD}, HTTP Basic).
 *
 * <p>Secrets stay inside this object: {@link #toString()} and {@link #describe()} never show them, and they only
 * leave it as an {@code Authorization} header or the Java client's credentials.
 */
public final class Credentials {
  public static final String TOKEN_VARIABLE = "MLFLOW_TRACKING_TOKEN";
  public static final String USERNAME_VARIABLE = "MLFLOW_TRACKING_USERNAME";
  public static final String PASSWORD_VARIABLE = "MLFLOW_TRACKING_PASSWORD";

  private final String token;
  private final String username;
  private final String password;

  private Credentials(String token, String username, String password) {
    this.token = token;
    this.username = username;
    this.password = password;
  }

  /** No authentication. */
  public static Credentials none() {
    return new Credentials(null, null, null);
  }

  /** A bearer token. */
  public static Credentials token(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException(TOKEN_VARIABLE + " must not be blank when set.");
    }
    return new Credentials(token, null, null);
  }

  /** HTTP Basic with a user name and password. */
  public static Credentials basic(String username, String password) {
    if (username == null || username.isBlank() || password == null) {
      throw new IllegalArgumentException(USERNAME_VARIABLE + " and " + PASSWORD_VARIABLE
          + " must be set together (user name not blank).");
    }
    return new Credentials(null, username, password);
  }

  /**
   * From the environment: {@code MLFLOW_TRACKING_TOKEN} if set, else {@code MLFLOW_TRACKING_USERNAME} and
   * {@code MLFLOW_TRACKING_PASSWORD} if set, else none.
   *
   * @throws IllegalArgumentException if only one of user name and password is set
   */
  public static Credentials fromEnvironment(Map<String, String> environment) {
    String token = blankToNull(environment.get(TOKEN_VARIABLE));
    if (token != null) {
      return token(token);
    }
    String user = blankToNull(environment.get(USERNAME_VARIABLE));
    String password = environment.get(PASSWORD_VARIABLE);
    if (user == null && (password == null || password.isEmpty())) {
      return none();
    }
    if (user == null || password == null) {
      throw new IllegalArgumentException("set both " + USERNAME_VARIABLE + " and " + PASSWORD_VARIABLE
          + " (only " + (user == null ? PASSWORD_VARIABLE : USERNAME_VARIABLE) + " is set), or neither.");
    }
    return basic(user, password);
  }

  /** The value of the {@code Authorization} header, if any. */
  public Optional<String> authorizationHeader() {
    if (token != null) {
      return Optional.of("Bearer " + token);
    }
    if (username != null) {
      return Optional.of("Basic " + Base64.getEncoder()
          .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.empty();
  }

  /** The Java client's credentials for a server at {@code host}. */
  public MlflowHostCredsProvider forClient(String host) {
    if (token != null) {
      return new BasicMlflowHostCreds(host, token);
    }
    if (username != null) {
      return new BasicMlflowHostCreds(host, username, password);
    }
    return new BasicMlflowHostCreds(host);
  }

  /** The user name of basic credentials: the identity the server records runs under. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** Which kind of credentials, without secrets: for messages. */
  public String describe() {
    return token != null ? "a token from " + TOKEN_VARIABLE
        : username != null ? "user '" + username + "' from " + USERNAME_VARIABLE + "/" + PASSWORD_VARIABLE
        : "no credentials";
  }

  @Override
  public String toString() {
    return "Credentials[" + describe() + "]";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
