// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.AuthenticationMethod;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.PreviousToken;
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
 * id   session id                      p   principal (authenticated sessions only)
 * th   token hash (base64url)          au  authenticated at
 * pth  previous token hash (optional)  am  authentication method
 * pvu  end of its grace period         rm  remember-me series' selector hash (optional)
 * pc   why it was replaced: R|L        ip  client address (optional)
 * c    created                         ua  user agent (optional)
 * la   last access                     it  idle timeout (ms)
 * ad   absolute deadline               ia  last interactive authentication
 *                                          (authenticated sessions; read as au where absent)
 * a:{name}  one attribute, encoded by the store's AttributeCodec
 * </pre>
 *
 * <p>Times are epoch milliseconds in decimal. Hashes are {@link TokenHash#toBase64Url()}; read
 * back, the token hash carries the session's bucket and the remember-me selector hash its
 * principal's, as routing tags. The Lua scripts use the same field names.
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
    Fields.Pairs pairs = new Fields.Pairs().put("id", record.id())
        .put("c", record.lifetime().createdAt());
    metadata(record, pairs);
    attributes(record.attributes(), pairs);
    return pairs;
  }

  /** Returns the fields that {@code rotate} replaces: all but id, c and attributes. */
  Fields.Pairs metadata(SessionRecord record) {
    return metadata(record, new Fields.Pairs());
  }

  private static Fields.Pairs metadata(SessionRecord r, Fields.Pairs pairs) {
    pairs.put("th", r.tokenHash().toBase64Url());
    PreviousToken previous = r.previousToken();
    if (previous != null) {
      pairs.put("pth", previous.hash().toBase64Url()).put("pvu", previous.validUntil())
          .put("pc", previous.cause() == PreviousToken.Rotation.LOGIN ? "L" : "R");
    }
    Authentication a = r.authentication();
    if (a != null) {
      pairs.put("p", a.principal()).put("au", a.authenticatedAt()).put("am", a.method().name())
          .put("ia", a.interactiveAt())
          .put("rm", a.rememberMeSeries() == null ? null : a.rememberMeSeries().toBase64Url());
    }
    Lifetime l = r.lifetime();
    return pairs.put("la", l.lastAccessedAt()).put("it", l.idleTimeout())
        .put("ad", l.absoluteDeadline())
        .put("ip", r.client().addressOrNull())
        .put("ua", r.client().userAgentOrNull());
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
    String id = f.required("id");
    String bucket = RedisKeys.bucketOfSessionId(id);
    TokenHash tokenHash = f.hash("th").withRoutingTag(bucket == null ? "" : bucket);
    PreviousToken previous = null;
    if (f.text("pth") != null) {
      PreviousToken.Rotation cause = switch (f.required("pc")) {
        case "L" -> PreviousToken.Rotation.LOGIN;
        case "R" -> PreviousToken.Rotation.RENEWAL;
        default -> throw new CorruptEntryException("field 'pc' is not a rotation cause");
      };
      previous = new PreviousToken(f.hash("pth"), f.number("pvu"), cause);
    }
    Authentication authentication = null;
    if (f.text("p") != null) {
      AuthenticationMethod method;
      try {
        method = AuthenticationMethod.valueOf(f.required("am"));
      } catch (IllegalArgumentException e) {
        throw new CorruptEntryException("field 'am' is not an authentication method");
      }
      String principal = f.required("p");
      long authenticatedAt = f.number("au");
      // entries written before the field existed: the session's own authentication time
      long interactiveAt = f.text("ia") == null ? authenticatedAt : f.number("ia");
      authentication = new Authentication(principal, authenticatedAt, method, interactiveAt,
          f.text("rm") == null ? null
              : f.hash("rm").withRoutingTag(RedisKeys.bucketOf(principal)));
    }
    Lifetime lifetime;
    try {
      lifetime = new Lifetime(f.number("c"), f.number("la"), f.number("it"), f.number("ad"));
    } catch (IllegalArgumentException e) {
      throw new CorruptEntryException("field 'it' is not a positive idle timeout");
    }
    Map<String, Object> attributes = new HashMap<>();
    for (Map.Entry<String, byte[]> e : f.all().entrySet()) {
      if (e.getKey().startsWith(ATTRIBUTE)) {
        String name = e.getKey().substring(ATTRIBUTE.length());
        attributes.put(name, codec.decode(name, e.getValue()));
      }
    }
    return new SessionRecord(id, tokenHash, previous, authentication, lifetime,
        ClientInfo.of(f.text("ip"), f.text("ua")), attributes);
  }
}
