// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import dev.sessionkit.spi.SessionStoreException;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One server-side script of the store: the shared {@code common.lua}, then the script's own file. Run by SHA-1 ({@code EVALSHA}); the body is sent only
 * when Redis does not know the script yet.
 */
public enum LuaScript {
  CREATE("create", ScriptOutputType.INTEGER),
  FIND_BY_TOKEN("find_by_token", ScriptOutputType.MULTI),
  FIND_AND_TOUCH("find_and_touch", ScriptOutputType.MULTI),
  TOUCH("touch", ScriptOutputType.INTEGER),
  ROTATE("rotate", ScriptOutputType.MULTI),
  UPDATE_ATTRIBUTES("update_attributes", ScriptOutputType.INTEGER),
  DELETE("delete", ScriptOutputType.MULTI),
  UNLINK("unlink", ScriptOutputType.INTEGER),
  FIND_BY_PRINCIPAL("find_by_principal", ScriptOutputType.MULTI),
  REVOKE_PRINCIPAL("revoke_principal", ScriptOutputType.MULTI),
  DROP_SESSIONS("drop_sessions", ScriptOutputType.MULTI),
  PURGE("purge", ScriptOutputType.MULTI),
  CREATE_SERIES("create_series", ScriptOutputType.INTEGER),
  REPLACE_SERIES("replace_series", ScriptOutputType.INTEGER),
  DELETE_SERIES("delete_series", ScriptOutputType.INTEGER),
  DELETE_SERIES_IF_LATEST("delete_series_if_latest", ScriptOutputType.INTEGER),
  REVOKE_SERIES("revoke_series", ScriptOutputType.INTEGER),
  SET_IDLE_TIMEOUT("set_idle_timeout", ScriptOutputType.INTEGER),
  LIST_DUE("list_due", ScriptOutputType.MULTI),
  RAISE_GENERATIONS("raise_generations", ScriptOutputType.MULTI),
  REVOKE_ALL_SERIES("revoke_all_series", ScriptOutputType.INTEGER),
  PURGE_SERIES("purge_series", ScriptOutputType.INTEGER),
  MOVE_OUT("move_out", ScriptOutputType.MULTI);

  private final String body;
  private final String sha1;
  private final ScriptOutputType output;

  LuaScript(String file, ScriptOutputType output) {
    this.body = resource("common") + resource(file);
    this.sha1 = sha1(body);
    this.output = output;
  }

  /** Returns the full text sent to Redis. */
  public String body() {
    return body;
  }

  /** Returns the SHA-1 under which Redis caches the script. */
  public String sha1() {
    return sha1;
  }

  /** Returns the shape of the script's reply. */
  ScriptOutputType output() {
    return output;
  }

  private static String resource(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + name + ".lua");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SessionStoreException("cannot read script resource " + name + ".lua", e);
    }
  }

  private static String sha1(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }
}
