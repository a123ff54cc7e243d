package dev.sessionkit.redis.internal;

import dev.sessionkit.AuthenticationMethod;
import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.TokenHash;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link SessionRecord} into the fields of its Redis hash and back.
 *
 * <pre>
 * id  session id             la  last access            rm  remember-me selector (optional)
 * th  token hash (base64url) it  idle timeout (ms)      ip  client address (optional)
 * p   principal (optional)   ad  absolute deadline      ua  user agent (optional)
 * c   created                au  authenticated at       am  authentication method (optional)
 * a:{name}  one attribute, encoded by the store's AttributeCodec
 * </pre>
 *
 * <p>Times are epoch milliseconds in decimal. The Lua scripts use the same field names.
 */
public final class SessionHash {

  /** The field prefix of attributes. */
  public static final String ATTRIBUTE = "a:";

  private final AttributeCodec codec;

  public SessionHash(AttributeCodec codec) {
    this.codec = codec;
  }

  /** Returns every field of {@code record}, attributes included. */
  Fields.Pairs all(SessionRecord record) {
    Fields.Pairs pairs = new Fields.Pairs().put("id", record.id()).put("c", record.createdAt());
    metadata(record, pairs);
    attributes(record.attributes(), pairs);
    return pairs;
  }

  /** Returns the fields that {@code replaceMetadata} replaces: all but id, c and attributes. */
  Fields.Pairs metadata(SessionRecord record) {
    return metadata(record, new Fields.Pairs());
  }

  private static Fields.Pairs metadata(SessionRecord r, Fields.Pairs pairs) {
    return pairs.put("th", r.tokenHash().toBase64Url())
        .put("p", r.principal())
        .put("au", r.authenticatedAt())
        .put("am", r.authenticationMethod() == null ? null : r.authenticationMethod().name())
        .put("la", r.lastAccessedAt())
        .put("it", r.idleTimeout())
        .put("ad", r.absoluteDeadline())
        .put("rm", r.rememberMeSelector())
        .put("ip", r.clientAddress())
        .put("ua", r.userAgent());
  }

  /** Adds encoded attribute fields for {@code values} to {@code pairs}. */
  Fields.Pairs attributes(Map<String, Object> values, Fields.Pairs pairs) {
    for (Map.Entry<String, Object> e : values.entrySet()) {
      pairs.put(ATTRIBUTE + e.getKey(), codec.encode(e.getKey(), e.getValue()));
    }
    return pairs;
  }

  /** Returns the attribute field names of {@code names}. */
  static List<String> attributeFields(Set<String> names) {
    return names.stream().map(n -> ATTRIBUTE + n).toList();
  }

  /**
   * Reads a session back.
   *
   * @throws CorruptEntryException if a metadata field is missing or malformed
   * @throws AttributeCodecException if an attribute does not decode
   */
  SessionRecord read(Fields f) {
    String method = f.text("am");
    AuthenticationMethod authenticationMethod;
    try {
      authenticationMethod = method == null ? null : AuthenticationMethod.valueOf(method);
    } catch (IllegalArgumentException e) {
      throw new CorruptEntryException("field 'am' is not an authentication method");
    }
    TokenHash tokenHash;
    try {
      tokenHash = TokenHash.fromBase64Url(f.required("th"));
    } catch (IllegalArgumentException e) {
      throw new CorruptEntryException("field 'th' is not a token hash");
    }
    Map<String, Object> attributes = new HashMap<>();
    for (Map.Entry<String, byte[]> e : f.all().entrySet()) {
      if (e.getKey().startsWith(ATTRIBUTE)) {
        String name = e.getKey().substring(ATTRIBUTE.length());
        attributes.put(name, codec.decode(name, e.getValue()));
      }
    }
    try {
      return new SessionRecord(f.required("id"), tokenHash, f.text("p"), f.number("c"),
          f.number("au"), authenticationMethod, f.number("la"), f.number("it"), f.number("ad"),
          f.text("rm"), f.text("ip"), f.text("ua"), attributes);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new CorruptEntryException("the stored fields do not form a session ("
          + e.getMessage() + ")");
    }
  }
}
